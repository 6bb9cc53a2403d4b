"""The week as one OR-Tools routing model: a vehicle per day, the routing core's search.

Vehicles are the days, each with its own start and end node and time range (absolute
minutes). Commitments, blocks at a place and lunches at a named place are mandatory nodes
fixed to their day; visits are optional (a disjunction worth `worth × scale`) or mandatory,
allowed on the days their windows touch. Lunch where the mayor is and blocks without a
place are vehicle breaks that may not overlap a visit or a leg (pre-travel = the visit,
post-travel = the leg), so the mayor waits at the previous place. A count dimension caps
visits per day. A visit's cumul is its start minus its buffer (the visit's time at the
place = buffer + visit + buffer). Arc cost = the leg's bound (travel.py); transit = time at
the place + leg, rounded up to the grid, so that every start the solver computes falls on
the grid (when buffers and fixed items are on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from services.scheduler.planning.search import DEFAULT_SETTINGS, SearchSettings, _parameters
from services.scheduler.planning.week.horizon import Compiled, NodeKind

NO_LIMIT = 10_000


@dataclass(frozen=True)
class DayRoute:
    nodes: tuple[int, ...]  # visited nodes in order, start/end excluded
    starts: tuple[int, ...]  # solver start minute of each
    depart: int  # leaving the start place
    arrive: int  # reaching the end place


@dataclass(frozen=True)
class Solution:
    days: tuple[DayRoute, ...]
    objective: int
    status: str


def leg_bounds(c: Compiled) -> list[list[int]]:
    """Worst-case minutes of every node→node leg over the speeds its departure can meet."""
    speeds = []
    for node in c.nodes:
        if node.kind is NodeKind.START:
            lo, hi = c.day_spans[node.days[0]]
        else:
            lo = node.ranges[0][0] + node.duration
            hi = node.ranges[-1][1] + node.duration + node.buffer
            after = [b.latest + b.duration for b in c.breaks if b.day in node.days]
            hi = max([hi, *after])
        speeds.append(c.travel.speeds(lo, hi))
    return [
        [c.travel.bound(a.place, b.place, speeds[i]) for b in c.nodes]
        for i, a in enumerate(c.nodes)
    ]


def value_scale(c: Compiled) -> int:
    """Larger than any total travel, so a unit of worth outweighs every minute."""
    return sum(end - start for start, end in c.day_spans) + 1


class WeekModel:
    """Builds the routing model of a compiled problem; `only` restricts to some nodes."""

    def __init__(self, c: Compiled, bounds: list[list[int]], only: set[int] | None = None) -> None:
        self.c = c
        self.bounds = bounds
        days = len(c.days)
        n = len(c.nodes)
        self.manager = pywrapcp.RoutingIndexManager(
            n, days, list(range(days)), list(range(days, 2 * days))
        )
        self.routing = routing = pywrapcp.RoutingModel(self.manager)
        manager = self.manager
        grid = c.problem.grid_minutes
        is_visit = [node.kind is NodeKind.VISIT for node in c.nodes]

        transit = [
            [-(-(a.occupy + bounds[i][j]) // grid) * grid for j in range(n)]
            for i, a in enumerate(c.nodes)
        ]
        horizon = c.day_spans[-1][1]
        routing.AddDimension(
            routing.RegisterTransitMatrix(transit), horizon, horizon, False, "Time"
        )
        self.time = time = routing.GetDimensionOrDie("Time")
        routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(bounds))
        count = routing.RegisterUnaryTransitVector([1 if v else 0 for v in is_visit])
        routing.AddDimensionWithVehicleCapacity(
            count,
            0,
            [NO_LIMIT if d.max_visits is None else d.max_visits for d in c.days],
            True,
            "Visits",
        )
        scale = value_scale(c)
        for i in range(2 * days, n):
            node = c.nodes[i]
            index = manager.NodeToIndex(i)
            if only is not None and i not in only:
                routing.ActiveVar(index).SetValue(0)
                routing.AddDisjunction([index], 0)
                continue
            # SetAllowedVehiclesForIndex's Span binding is broken in 9.15: restrict the var.
            routing.VehicleVar(index).SetValues([*([] if node.mandatory else [-1]), *node.days])
            cumul = time.CumulVar(index)
            shift = node.buffer
            cumul.SetRange(node.ranges[0][0] - shift, node.ranges[-1][1] - shift)
            for (_, gap_start), (gap_end, _) in pairwise(node.ranges):
                cumul.RemoveInterval(gap_start + 1 - shift, gap_end - 1 - shift)
            if not node.mandatory:
                routing.AddDisjunction([index], node.worth * scale)
            routing.AddVariableMinimizedByFinalizer(cumul)
        for d, (start, end) in enumerate(c.day_spans):
            time.CumulVar(routing.Start(d)).SetRange(start, end)
            time.CumulVar(routing.End(d)).SetRange(start, end)
            routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.Start(d)))
            routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(d)))
        self._breaks(is_visit)

    def _breaks(self, is_visit: list[bool]) -> None:
        """Breaks may not overlap a visit (its service and buffers); 9.15's Python API has only
        this form, so a break may overlap a leg: plan.py re-times the lunch at the previous
        or the next place and repairs the rare gap where neither fits."""
        c, solver = self.c, self.routing.solver()
        for d in range(len(c.days)):
            mine = [b for b in c.breaks if b.day == d]
            if not mine:
                continue
            visit = [0] * (self.routing.Size() + len(c.days))  # by variable index
            for i, node in enumerate(c.nodes):
                indices = (
                    [self.routing.Start(i)]
                    if i < len(c.days)
                    else [self.routing.End(i - len(c.days))]
                    if i < 2 * len(c.days)
                    else [self.manager.NodeToIndex(i)]
                )
                for index in indices:
                    visit[index] = node.occupy
            intervals = [
                solver.FixedDurationIntervalVar(b.earliest, b.latest, b.duration, False, b.ref)
                for b in mine
            ]
            self.time.SetBreakIntervalsOfVehicle(intervals, d, visit)

    def solve(
        self,
        time_limit: timedelta,
        settings: SearchSettings = DEFAULT_SETTINGS,
        first_only: bool = False,
        start_from: Solution | None = None,
    ) -> Solution | None:
        """The routing core's search parameters; `first_only` stops at the first solution,
        `start_from` seeds the search with a feasible solution (e.g. the mandatory items)."""
        parameters = _parameters(time_limit, settings)
        if first_only:
            parameters.solution_limit = 1
        if start_from is None:
            solution = self.routing.SolveWithParameters(parameters)
        else:
            self.routing.CloseModelWithParameters(parameters)
            routes = [[self.manager.NodeToIndex(n) for n in day.nodes] for day in start_from.days]
            initial = self.routing.ReadAssignmentFromRoutes(routes, True)
            if initial is None:
                solution = self.routing.SolveWithParameters(parameters)
            else:
                solution = self.routing.SolveFromAssignmentWithParameters(initial, parameters)
        status = routing_enums_pb2.RoutingSearchStatus.Value.Name(self.routing.status())
        if solution is None:
            return None
        return self.read(solution, status)

    def read(self, solution: pywrapcp.Assignment, status: str) -> Solution:
        days = []
        for d in range(len(self.c.days)):
            nodes, starts = [], []
            index = solution.Value(self.routing.NextVar(self.routing.Start(d)))
            while not self.routing.IsEnd(index):
                nodes.append(self.manager.IndexToNode(index))
                node = self.manager.IndexToNode(index)
                starts.append(solution.Value(self.time.CumulVar(index)) + self.c.nodes[node].buffer)
                index = solution.Value(self.routing.NextVar(index))
            days.append(
                DayRoute(
                    tuple(nodes),
                    tuple(starts),
                    solution.Value(self.time.CumulVar(self.routing.Start(d))),
                    solution.Value(self.time.CumulVar(self.routing.End(d))),
                )
            )
        return Solution(tuple(days), solution.ObjectiveValue(), status)
