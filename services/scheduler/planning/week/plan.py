"""plan_week: solve the week in one model, re-read it under the exact travel model.

Choice for time-dependent travel (measured by bench/week_plan.py, bench/RESULTS.md):
each leg is priced at the worst speed band its origin can be left in (a bound,
week/travel.py), the solver places every start with those bounds, and the plan keeps the
solver's starts. The exact minutes of each leg, leaving when the mayor actually leaves, are
never more than the bound, so no arrival and no return is late; the plan shows the exact
minutes. On the sample week, nominal speeds would show 2.2 % more value but 4 of 30
arrivals late under the real model; the bound gives up that 2.2 % without a repair loop.
Lunch where the mayor is and blocks without a place are OR-Tools breaks; they are taken at
the previous place, or at the next one on arrival (solver.py explains why), and a day whose
break fits neither is repaired by dropping its least valuable optional visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from time import perf_counter

from schemas.planning import DayPlanOut, ItemKind, PlanItem, PlanningProblem, WeekPlanOut
from services.scheduler.planning.search import FirstSolution, SearchSettings
from services.scheduler.planning.week.check import day_violations
from services.scheduler.planning.week.horizon import (
    Break,
    Compiled,
    NodeKind,
    compile_problem,
)
from services.scheduler.planning.week.refine import parts, refine
from services.scheduler.planning.week.solver import DayRoute, Solution, WeekModel, leg_bounds

WeekPlan = WeekPlanOut

# GLS penalises arc costs (travel) by lambda per penalty; next to the value penalties, which
# outweigh all travel, 0.1 left each start in the basin it began in. 3 and 10 gave the same
# values on 17 weeks, 100 nearly (bench/RESULTS.md, "The realistic week proposed by the
# service").
WEEK_SETTINGS = SearchSettings(gls_lambda=3.0)

# The share of the search budget left, after the week's two guided local searches, to
# re-solve days and pairs of days alone (refine.py). At 4 s on 31 synthetic weeks
# (bench/week_unseen.py, seeds 1..59 and 60..119) shares 0 / 0.3 / 0.5 / 0.7 gave total
# values 11535 / 11607 / 11637 / 11652 and 13485 / 13620 / 13620 / 13587: with 0.7 the week
# searches (~0.6 s each) lost value on 3 weeks, with 0.3 the parts had too little time.
REFINE_SHARE = 0.5

_KIND = {
    NodeKind.COMMITMENT: ItemKind.COMMITMENT,
    NodeKind.BLOCKED: ItemKind.BLOCKED,
    NodeKind.LUNCH: ItemKind.LUNCH,
    NodeKind.VISIT: ItemKind.VISIT,
}


def plan_week(
    problem: PlanningProblem,
    time_limit: timedelta = timedelta(seconds=5),
    settings: SearchSettings = WEEK_SETTINGS,
    on_progress: Callable[[str], None] | None = None,
) -> WeekPlan:
    """The most valuable feasible week (then the least travel), and why the rest is out.

    When the mandatory items cannot all be kept, the plan is empty and `conflicts` holds
    the smallest conflicting set found (conflicts.py); a mandatory request that has no
    possible start at all is reported alone (and the rest is still planned).
    """
    from services.scheduler.planning.week.conflicts import smallest_conflict
    from services.scheduler.planning.week.explain import explain
    from services.scheduler.planning.week.score import evaluate

    started = perf_counter()
    c = compile_problem(problem)
    bounds = leg_bounds(c)
    if on_progress:
        on_progress("model")
    mandatory = {i for i in range(2 * len(c.days), len(c.nodes)) if c.nodes[i].mandatory}
    seed = WeekModel(c, bounds, only=mandatory).solve(time_limit, settings, first_only=True)
    solution = None
    if seed is not None:
        if on_progress:
            on_progress("search")
        deadline = started + time_limit.total_seconds()
        share = REFINE_SHARE if parts(c) else 0.0
        searched = deadline - share * max(deadline - perf_counter(), 0.0)
        solution = _search(c, bounds, seed, settings, searched) or seed
        if share:
            solution = refine(c, bounds, solution, settings, deadline)
    if solution is None:
        conflict = smallest_conflict(c, bounds)
        plan = empty_plan(c, conflict)
    else:
        plan = to_plan(c, bounds, solution)
    plan.left_out = explain(c, plan)
    # a mandatory request with no possible start at all is a conflict on its own
    alone = [[r.id] for r in problem.requests if r.mandatory and r.id not in c.request_nodes]
    plan.conflicts = [*alone, *(x for x in plan.conflicts if x)]
    plan.score = evaluate(problem, plan, c, bounds).out()
    return plan


def _search(
    c: Compiled, bounds: list[list[int]], seed: Solution, settings: SearchSettings, deadline: float
) -> Solution | None:
    """Guided local searches from two cheapest-insertion first solutions, each for an equal
    share of the time left, the lower objective kept: one inserting in OR-Tools' default
    order, one by value over allowed days (which also placed the mandatory items on weeks
    where the default order could not). If neither insertion completes, the search grows
    the week from the mandatory items with the time left.

    Each start stays near the basin it begins in and the two orders reach different ones;
    a third start grown from the mandatory items, in equal thirds, left each search too
    little time on the realistic week (bench/RESULTS.md, bench/week_service.py).
    """

    def left() -> timedelta:
        return max(timedelta(seconds=deadline - perf_counter()), timedelta(seconds=0.05))

    inserted = replace(settings, first_solution=FirstSolution.LOCAL_CHEAPEST_INSERTION)
    starts = (inserted, replace(inserted, insertion_by_value=True))
    found = []
    for k, start in enumerate(starts):
        # a start that finds nothing returns at once and leaves its share to the next
        solution = WeekModel(c, bounds).solve(left() / (len(starts) - k), start)
        if solution is not None:
            found.append(solution)
    if not found:
        grown = WeekModel(c, bounds).solve(left(), settings, start_from=seed)
        found = [grown] if grown is not None else []
    return min(found, key=lambda s: s.objective, default=None)


def empty_plan(c: Compiled, conflict: list[str]) -> WeekPlan:
    return WeekPlanOut(
        days=[],
        left_out=[],
        conflicts=[conflict] if conflict else [],
        total_value=0,
        total_travel_minutes=0,
        score={"terms": []},
        solver_status="INFEASIBLE",
    )


def to_plan(c: Compiled, bounds: list[list[int]], solution: Solution) -> WeekPlan:
    """The solver's starts, with lunch/blocks placed in the gaps the solver left for them."""
    days = [_repaired_day(c, bounds, d, route) for d, route in enumerate(solution.days)]
    return WeekPlanOut(
        days=days,
        left_out=[],
        total_value=sum(item.worth for day in days for item in day.items),
        total_travel_minutes=sum(day.travel_minutes for day in days),
        score={"terms": []},
        solver_status=solution.status,
    )


def _repaired_day(c: Compiled, bounds: list[list[int]], d: int, route: DayRoute) -> DayPlanOut:
    """Re-time a day; if a break fits nowhere (it overlapped a leg in a tight window), drop
    the least valuable optional visit next to it and re-time, until it fits."""
    while True:
        day, unplaced = _day(c, bounds, d, route)
        if not unplaced and not day_violations(c, d, day):
            return day
        brk = unplaced[0] if unplaced else None
        optional = [
            k
            for k, n in enumerate(route.nodes)
            if c.nodes[n].kind is NodeKind.VISIT and not c.nodes[n].mandatory
        ]
        if not optional:
            raise RuntimeError(f"day {d}: no feasible re-timing")  # pragma: no cover
        middle = (brk.earliest + brk.duration // 2) if brk else route.starts[optional[0]]
        k = min(
            optional,
            key=lambda k: (c.nodes[route.nodes[k]].worth, abs(route.starts[k] - middle)),
        )
        route = DayRoute(
            route.nodes[:k] + route.nodes[k + 1 :],
            route.starts[:k] + route.starts[k + 1 :],
            route.depart,
            route.arrive,
        )


def _day(
    c: Compiled, bounds: list[list[int]], d: int, route: DayRoute
) -> tuple[DayPlanOut, list[Break]]:
    """Walk the day's gaps: breaks go where the mayor is, legs leave when the mayor is free."""
    day = c.days[d]
    sequence = [d, *route.nodes, len(c.days) + d]
    starts = [route.depart, *route.starts, route.arrive]
    pending = sorted((b for b in c.breaks if b.day == d), key=lambda b: b.earliest)
    items: list[PlanItem] = []
    travel_total, arrive = 0, route.arrive
    for k in range(len(sequence) - 1):
        a, b = c.nodes[sequence[k]], c.nodes[sequence[k + 1]]
        free = c.day_spans[d][0] if k == 0 else starts[k] + a.duration + a.buffer
        leave_by = starts[k + 1] - bounds[sequence[k]][sequence[k + 1]] - b.buffer
        free = _place_breaks(c, pending, items, free, leave_by, a.place)
        depart = max(free, route.depart) if k == 0 else free
        leg = c.travel.minutes(a.place, b.place, depart)
        travel_total += leg
        if b.kind is NodeKind.END:
            arrive = depart + leg
            break
        # a break the solver put over the leg: taken on arrival, before the next item
        _place_breaks(c, pending, items, depart + leg, starts[k + 1] - b.buffer, b.place)
        items.append(
            PlanItem(
                kind=_KIND[b.kind],
                id=b.ref,
                title=b.title,
                place_id=c.problem.places[b.place].id,
                start=c.at(starts[k + 1]),
                end=c.at(starts[k + 1] + b.duration),
                travel_minutes_before=leg,
                depart_previous=c.at(depart),
                worth=b.worth,
            )
        )
    end_place = c.place_index[day.end_place_id]
    _place_breaks(c, pending, items, arrive, c.day_spans[d][1], end_place)
    items.sort(key=lambda item: item.start)
    return (
        DayPlanOut(
            date=day.date,
            start_place_id=day.start_place_id,
            end_place_id=day.end_place_id,
            leave_start=c.at(max(route.depart, c.day_spans[d][0])),
            arrive_end=c.at(arrive),
            items=items,
            visits=sum(1 for item in items if item.kind is ItemKind.VISIT),
            travel_minutes=travel_total,
        ),
        pending,
    )


def _place_breaks(
    c: Compiled, pending: list[Break], items: list[PlanItem], free: int, leave_by: int, place: int
) -> int:
    """Put the breaks that fit in [free, leave_by] at `place`; the minute the mayor is free."""
    for brk in list(pending):
        begin = c.grid_up(max(free, brk.earliest)) if brk.is_lunch else brk.earliest
        if begin < free or begin > brk.latest or begin + brk.duration > leave_by:
            continue
        pending.remove(brk)
        items.append(
            PlanItem(
                kind=ItemKind.LUNCH if brk.is_lunch else ItemKind.BLOCKED,
                id=brk.ref,
                title=brk.title,
                place_id=c.problem.places[place].id,
                start=c.at(begin),
                end=c.at(begin + brk.duration),
                travel_minutes_before=0,
            )
        )
        free = begin + brk.duration
    return free
