"""OR-Tools routing model of one day: one vehicle (the mayor), prize-collecting, time windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from services.scheduler.planning.timeline import StartRange

DEPOT = 0


@dataclass(frozen=True)
class RoutingProblem:
    """Nodes 0..n, node 0 the depot; all times in whole minutes since the start of the day."""

    travel: list[list[int]]
    service: list[int]  # per node (0 for the depot)
    starts: list[list[StartRange]]  # allowed start minutes per node, disjoint and sorted
    penalties: list[int | None]  # cost of leaving a node out; None = mandatory
    horizon: int
    time_limit: timedelta


@dataclass(frozen=True)
class Route:
    visits: tuple[int, ...]  # nodes in visiting order, depot excluded
    starts: tuple[int, ...]  # start minute of each visit
    back: int  # minute the mayor is back at the depot
    status: str
    optimal: bool


def solve(problem: RoutingProblem) -> Route | None:
    """Best route within the time limit, or None when the solver finds no feasible one.

    Arc cost is travel only; leaving out an optional node costs its penalty, so with
    penalties far above any day's travel the solver maximises value, then saves travel.
    """
    size = len(problem.travel)
    manager = pywrapcp.RoutingIndexManager(size, 1, DEPOT)
    routing = pywrapcp.RoutingModel(manager)
    travel_cb = routing.RegisterTransitMatrix([list(map(int, row)) for row in problem.travel])
    transit_cb = routing.RegisterTransitMatrix(
        [[problem.travel[i][j] + problem.service[i] for j in range(size)] for i in range(size)]
    )
    routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
    routing.AddDimension(transit_cb, problem.horizon, problem.horizon, False, "Time")
    time = routing.GetDimensionOrDie("Time")

    for node in range(1, size):
        index = manager.NodeToIndex(node)
        ranges = problem.starts[node]
        cumul = time.CumulVar(index)
        cumul.SetRange(ranges[0][0], ranges[-1][1])
        for (_, gap_start), (gap_end, _) in pairwise(ranges):
            cumul.RemoveInterval(gap_start + 1, gap_end - 1)
        penalty = problem.penalties[node]
        if penalty is not None:
            routing.AddDisjunction([index], penalty)
    for index in (routing.Start(0), routing.End(0)):
        time.CumulVar(index).SetRange(0, problem.horizon)
    # Report the earliest start of every visit and the earliest return.
    for node in range(1, size):
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(manager.NodeToIndex(node)))
    routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(0)))

    solution = routing.SolveWithParameters(_parameters(problem.time_limit))
    status = routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status())
    if solution is None:
        return None
    visits: list[int] = []
    starts: list[int] = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node != DEPOT:
            visits.append(node)
            starts.append(solution.Min(time.CumulVar(index)))
        index = solution.Value(routing.NextVar(index))
    return Route(
        visits=tuple(visits),
        starts=tuple(starts),
        back=solution.Min(time.CumulVar(routing.End(0))),
        status=status,
        optimal=status == "ROUTING_OPTIMAL",
    )


def _parameters(time_limit: timedelta) -> pywrapcp.RoutingSearchParameters:
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromTimedelta(time_limit)
    return parameters
