"""The routing core: m routes from one depot, prize-collecting, time windows.

One entry point for every caller (`dongseon solve-optw`, the benchmark):
small problems are solved exactly and returned at once with a proof, larger ones go to
the OR-Tools search for the time limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

DEPOT = 0
EXACT_MAX_NODES = 10  # nodes besides the depot the exact labelling handles (≤ 0.3 s worst case)

StartRange = tuple[int, int]  # (earliest start, latest start) in units, inclusive


@dataclass(frozen=True)
class RoutingProblem:
    """Nodes 0..n, node 0 the depot; all times in whole units since the start of the day.

    Every route leaves the depot at or after 0 and is back by `horizon`. A node's
    service must start inside one of its `starts` ranges (latest start inclusive).
    """

    travel: list[list[int]]
    service: list[int]  # per node (0 for the depot)
    starts: list[list[StartRange]]  # allowed start units per node, disjoint and sorted
    penalties: list[int | None]  # cost of leaving a node out; None = mandatory
    horizon: int
    time_limit: timedelta
    vehicles: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Route:
    visits: tuple[int, ...]  # nodes in visiting order, depot excluded
    starts: tuple[int, ...]  # start unit of each visit (the earliest the route allows)
    back: int  # unit the vehicle is back at the depot
    status: str
    optimal: bool


@dataclass(frozen=True)
class Routes:
    """One route per vehicle (possibly empty), and whether the answer is proven optimal."""

    routes: tuple[Route, ...]
    status: str
    optimal: bool

    @property
    def visited(self) -> frozenset[int]:
        return frozenset(node for route in self.routes for node in route.visits)


def solve(problem: RoutingProblem) -> Route | None:
    """Best single route within the time limit, or None when no feasible one exists/is found."""
    if problem.vehicles != 1:
        raise ValueError("solve() plans one route; use solve_routes() for several")
    answer = solve_routes(problem)
    return None if answer is None else answer.routes[0]


def solve_routes(problem: RoutingProblem) -> Routes | None:
    """Maximise the value kept (penalties avoided), then minimise travel, over m routes.

    Exact labelling when one route and few nodes (returns in milliseconds, proven); the
    iterated local search when every node is optional with one window (the OPTW shape);
    otherwise OR-Tools guided local search, which handles mandatory and split windows.
    """
    from services.scheduler.planning import exact, ils, search

    if problem.vehicles == 1 and len(problem.travel) - 1 <= EXACT_MAX_NODES:
        return exact.solve_exactly(problem)
    if ils.applies(problem):
        return ils.improve(problem)
    return search.search(problem)


def route_from_order(problem: RoutingProblem, visits: list[int], status: str) -> Route | None:
    """Earliest start times along a fixed order; None when the order breaks a window or the day."""
    now, here, starts = 0, DEPOT, []
    for node in visits:
        arrive = now + problem.service[here] + problem.travel[here][node]
        start = earliest_start(problem.starts[node], arrive)
        if start is None:
            return None
        starts.append(start)
        now, here = start, node
    back = now + problem.service[here] + problem.travel[here][DEPOT]
    if back > problem.horizon:
        return None
    return Route(tuple(visits), tuple(starts), back, status, optimal=False)


def earliest_start(ranges: list[StartRange], arrive: int) -> int | None:
    """The first allowed start at or after `arrive`, or None if every range has closed."""
    for earliest, latest in ranges:
        start = max(arrive, earliest)
        if start <= latest:
            return start
    return None
