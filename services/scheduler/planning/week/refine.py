"""Decomposition search: re-solve one day, or two, of a week alone, and keep what improves.

The week model's search moves one or two nodes at a time among ~170 nodes and 7 routes;
a trade such as "drop a priority-3 interview, place an unplaced priority-4 visit at another
hour of that day" needs several moves through worse weeks, which a short guided local search
rarely crosses. A model of one day holds that day's items and the visits left out of the
week that may go on it, a few dozen nodes: its search is far faster, so such trades come
within reach. Two days together also let visits move between them. A part is searched
from its current routes and once more from scratch (by value, with the operators that swap
a left-out visit in): on the realistic week a Sunday part stayed stuck from its routes for
1 s and was solved from scratch in 0.05 s. The part's objective differs from the week's
only by terms that do not change, so a lower part objective is a better week, and a part's
result is kept only when it is lower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import combinations
from time import perf_counter

from services.scheduler.planning.search import FirstSolution, SearchSettings
from services.scheduler.planning.week.horizon import Compiled, NodeKind
from services.scheduler.planning.week.solver import DayRoute, Solution, WeekModel, value_scale

# The first look at a part is short, so that every part gets one within a 4 s proposal
# (7 days and up to 21 pairs, about 0.1 s each with both starts); later turns double it.
FIRST_LOOK = 0.05  # seconds


@dataclass(frozen=True)
class Part:
    """Some days of the week cut out as a model of their own, with the node map back."""

    c: Compiled
    bounds: list[list[int]]
    nodes: list[int]  # week node of each part node
    days: tuple[int, ...]  # week day of each part day


def objective(c: Compiled, bounds: list[list[int]], days: tuple[DayRoute, ...]) -> int:
    """The routing model's objective: bound minutes of every leg + the worth left out."""
    placed = {n for route in days for n in route.nodes}
    travel = 0
    for d, route in enumerate(days):
        path = [d, *route.nodes, len(c.days) + d]
        travel += sum(bounds[a][b] for a, b in zip(path, path[1:], strict=False))
    left = sum(
        node.worth
        for i, node in enumerate(c.nodes)
        if node.kind is NodeKind.VISIT and not node.mandatory and node.days and i not in placed
    )
    return travel + value_scale(c) * left


def cut(c: Compiled, bounds: list[list[int]], week: Solution, days: tuple[int, ...]) -> Part:
    """The days' current items and the visits left out of the week that may go on them,
    those visits allowed on these days only; the other days and their items are absent."""
    mine = [n for d in days for n in week.days[d].nodes]
    nodes = [*days, *(len(c.days) + d for d in days), *mine, *_left_out(c, week, days)]
    at = {d: k for k, d in enumerate(days)}
    part_nodes = [
        replace(c.nodes[i], days=tuple(at[d] for d in c.nodes[i].days if d in at)) for i in nodes
    ]
    part = replace(
        c,
        problem=c.problem.model_copy(update={"days": [c.days[d] for d in days]}),
        nodes=part_nodes,
        breaks=[replace(b, day=at[b.day]) for b in c.breaks if b.day in at],
        day_spans=[c.day_spans[d] for d in days],
        buffers=[c.buffers[d] for d in days],
    )
    return Part(part, [[bounds[a][b] for b in nodes] for a in nodes], nodes, days)


def improve(
    c: Compiled,
    bounds: list[list[int]],
    week: Solution,
    days: tuple[int, ...],
    time_limit: timedelta,
    settings: SearchSettings,
) -> Solution | None:
    """The week with these days re-solved alone (from their current routes, and afresh),
    if that is better; None when neither search found anything better in time."""
    part = cut(c, bounds, week, days)
    index = {n: k for k, n in enumerate(part.nodes)}
    current = tuple(
        replace(week.days[d], nodes=tuple(index[n] for n in week.days[d].nodes)) for d in days
    )
    seed = Solution(current, objective(part.c, part.bounds, current), week.status)
    found = WeekModel(part.c, part.bounds).solve(time_limit, settings, start_from=seed)
    fresh = WeekModel(part.c, part.bounds).solve(time_limit, _afresh(settings))
    found = min(
        (s for s in (found, fresh) if s is not None), key=lambda s: s.objective, default=None
    )
    if found is None or found.objective >= seed.objective:
        return None
    routes = list(week.days)
    for k, d in enumerate(days):
        route = found.days[k]
        routes[d] = replace(route, nodes=tuple(part.nodes[n] for n in route.nodes))
    return Solution(tuple(routes), objective(c, bounds, tuple(routes)), week.status)


def _afresh(settings: SearchSettings) -> SearchSettings:
    """A second start for a part: inserted by value, the operators that swap a left-out
    visit in (too slow on the week model, cheap on a part's few dozen nodes)."""
    return replace(
        settings,
        first_solution=FirstSolution.LOCAL_CHEAPEST_INSERTION,
        insertion_by_value=True,
        extra_operators=True,
    )


def parts(c: Compiled) -> list[tuple[int, ...]]:
    """Each day, then each pair of days that some visit may go on both of (ordered by how
    many): the pairs that can trade visits. None when the horizon is a day: the part would
    be the whole model again."""
    if len(c.days) < 2:
        return []
    first = 2 * len(c.days)
    shared: dict[tuple[int, ...], int] = {}
    for node in c.nodes[first:]:
        if node.kind is NodeKind.VISIT:
            for pair in combinations(sorted(node.days), 2):
                shared[pair] = shared.get(pair, 0) + 1
    pairs = sorted(shared, key=lambda pair: (-shared[pair], pair))
    if len(c.days) == 2:
        pairs = []
    return [*((d,) for d in range(len(c.days))), *pairs]


def refine(
    c: Compiled,
    bounds: list[list[int]],
    week: Solution,
    settings: SearchSettings,
    deadline: float,
) -> Solution:
    """Re-solve parts of the week in turn until the deadline, keeping every improvement.

    A part is looked at again when its content changed (a neighbouring part moved a visit)
    or, once every part has had its turn, for twice as long; never again while unchanged
    when its searches ended before their limit (nothing left to search). Returns early when
    a whole turn finds nothing to look at.
    """
    every = parts(c)
    tried: dict[tuple[int, ...], tuple[object, float]] = {}
    limit = FIRST_LOOK
    while every:
        looked = False
        for days in every:
            left = deadline - perf_counter()
            if left <= 0.01:
                return week
            seen = tried.get(days)
            if seen is not None and seen[0] == _content(c, week, days) and seen[1] >= limit:
                continue
            looked = True
            each = min(limit, left / 2)  # the two searches of a part end by the deadline
            began = perf_counter()
            better = improve(c, bounds, week, days, timedelta(seconds=each), settings)
            ended = better is None and perf_counter() - began < each
            week = better or week
            tried[days] = (_content(c, week, days), math.inf if ended else limit)
        if not looked:
            return week
        limit *= 2
    return week


def _content(c: Compiled, week: Solution, days: tuple[int, ...]) -> object:
    """What a part's search starts from: its routes and the left-out visits it may place."""
    return tuple(week.days[d].nodes for d in days), frozenset(_left_out(c, week, days))


def _left_out(c: Compiled, week: Solution, days: tuple[int, ...]) -> list[int]:
    """The visits left out of the week that may go on one of these days."""
    placed = {n for route in week.days for n in route.nodes}
    chosen = set(days)
    return [
        i
        for i in range(2 * len(c.days), len(c.nodes))
        if i not in placed and c.nodes[i].kind is NodeKind.VISIT and chosen & set(c.nodes[i].days)
    ]
