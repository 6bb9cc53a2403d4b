"""OR-Tools search for larger problems: m vehicles, value-dominant disjunctions, time windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.constraint_solver.routing_heuristic_parameters_pb2 import (
    LocalCheapestInsertionParameters,
)
from ortools.util.optional_boolean_pb2 import BOOL_TRUE

from services.scheduler.planning.routing import DEPOT, Route, Routes, RoutingProblem

FirstSolution = routing_enums_pb2.FirstSolutionStrategy
Metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchSettings:
    """How the search spends its time; the defaults were chosen on the OPTW benchmark."""

    first_solution: int = FirstSolution.PATH_CHEAPEST_ARC
    metaheuristic: int = Metaheuristic.GUIDED_LOCAL_SEARCH
    gls_lambda: float = 0.1
    extra_operators: bool = False
    # LOCAL_CHEAPEST_INSERTION takes nodes by penalty / allowed vehicles instead of OR-Tools'
    # default order (on weeks where the default order could not place a mandatory item,
    # this one could: bench/RESULTS.md).
    insertion_by_value: bool = False


DEFAULT_SETTINGS = SearchSettings()


def search(problem: RoutingProblem, settings: SearchSettings = DEFAULT_SETTINGS) -> Routes | None:
    """Best routes found within the time limit, or None when no feasible solution was found.

    With fixed items among many optional ones, OR-Tools' first-solution heuristics often
    find nothing (a day of 25 visits around one commitment came back "infeasible"), so the
    search starts from the fixed items alone, in time order, when that route is feasible.
    """
    model = _Model(problem)
    parameters = _parameters(problem.time_limit, settings)
    solution = None
    seed = model.mandatory_route()
    if seed is not None:
        model.routing.CloseModelWithParameters(parameters)
        initial = model.routing.ReadAssignmentFromRoutes([seed], True)
        if initial is not None:
            solution = model.routing.SolveFromAssignmentWithParameters(initial, parameters)
    if solution is None:
        solution = model.routing.SolveWithParameters(parameters)
    status = routing_enums_pb2.RoutingSearchStatus.Value.Name(model.routing.status())
    if solution is None:
        return None
    return model.read(solution, status)


class _Model:
    """The routing model of one problem: arc cost = travel, a disjunction per optional node."""

    def __init__(self, problem: RoutingProblem) -> None:
        size = len(problem.travel)
        self.problem = problem
        self.manager = pywrapcp.RoutingIndexManager(size, problem.vehicles, DEPOT)
        self.routing = routing = pywrapcp.RoutingModel(self.manager)
        travel_cb = routing.RegisterTransitMatrix([list(map(int, row)) for row in problem.travel])
        transit_cb = routing.RegisterTransitMatrix(
            [[problem.travel[i][j] + problem.service[i] for j in range(size)] for i in range(size)]
        )
        routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
        routing.AddDimension(transit_cb, problem.horizon, problem.horizon, False, "Time")
        self.time = time = routing.GetDimensionOrDie("Time")
        for node in range(1, size):
            index = self.manager.NodeToIndex(node)
            ranges = problem.starts[node]
            cumul = time.CumulVar(index)
            if not ranges:
                routing.ActiveVar(index).SetValue(0)
                if problem.penalties[node] is not None:
                    routing.AddDisjunction([index], problem.penalties[node])
                continue
            cumul.SetRange(ranges[0][0], ranges[-1][1])
            for (_, gap_start), (gap_end, _) in pairwise(ranges):
                cumul.RemoveInterval(gap_start + 1, gap_end - 1)
            penalty = problem.penalties[node]
            if penalty is not None:
                routing.AddDisjunction([index], penalty)
        for vehicle in range(problem.vehicles):
            for index in (routing.Start(vehicle), routing.End(vehicle)):
                time.CumulVar(index).SetRange(0, problem.horizon)
        # Report the earliest start of every visit and the earliest return.
        for node in range(1, size):
            routing.AddVariableMinimizedByFinalizer(time.CumulVar(self.manager.NodeToIndex(node)))
        for vehicle in range(problem.vehicles):
            routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(vehicle)))

    def mandatory_route(self) -> list[int] | None:
        """The mandatory nodes of a one-route problem in order of earliest start (indices),
        a start the search can grow; None with several routes or nothing mandatory."""
        problem = self.problem
        mandatory = [
            node
            for node in range(1, len(problem.travel))
            if problem.penalties[node] is None and problem.starts[node]
        ]
        if problem.vehicles != 1 or not mandatory:
            return None
        mandatory.sort(key=lambda node: (problem.starts[node][0][0], node))
        return [self.manager.NodeToIndex(node) for node in mandatory]

    def read(self, solution: pywrapcp.Assignment, status: str) -> Routes:
        optimal = status == "ROUTING_OPTIMAL"
        routes = []
        for vehicle in range(self.problem.vehicles):
            visits: list[int] = []
            starts: list[int] = []
            index = self.routing.Start(vehicle)
            while not self.routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                if node != DEPOT:
                    visits.append(node)
                    starts.append(solution.Min(self.time.CumulVar(index)))
                index = solution.Value(self.routing.NextVar(index))
            back = solution.Min(self.time.CumulVar(self.routing.End(vehicle)))
            routes.append(Route(tuple(visits), tuple(starts), back, status, optimal))
        return Routes(tuple(routes), status, optimal)


def _parameters(
    time_limit: timedelta, settings: SearchSettings
) -> pywrapcp.RoutingSearchParameters:
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = settings.first_solution
    parameters.local_search_metaheuristic = settings.metaheuristic
    parameters.guided_local_search_lambda_coefficient = settings.gls_lambda
    if settings.extra_operators:
        operators = parameters.local_search_operators
        operators.use_extended_swap_active = BOOL_TRUE
        operators.use_relocate_and_make_active = BOOL_TRUE
        operators.use_exchange_and_make_active = BOOL_TRUE
        operators.use_inactive_lns = BOOL_TRUE
        operators.use_path_lns = BOOL_TRUE
    if settings.insertion_by_value:
        insertion = parameters.local_cheapest_insertion_parameters
        del insertion.insertion_sorting_properties[:]
        insertion.insertion_sorting_properties.append(
            LocalCheapestInsertionParameters.SORTING_PROPERTY_PENALTY_OVER_ALLOWED_VEHICLES_RATIO
        )
    parameters.time_limit.FromTimedelta(time_limit)
    return parameters
