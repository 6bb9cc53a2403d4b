"""The decomposition phase (week/refine.py): small weeks whose better content is known."""

from __future__ import annotations

from datetime import timedelta
from time import perf_counter
from typing import Any

from test_week_model import day

from schemas.planning import PlanningProblem
from services.scheduler.planning.week import plan_week
from services.scheduler.planning.week.check import violations
from services.scheduler.planning.week.horizon import Compiled, compile_problem
from services.scheduler.planning.week.plan import WEEK_SETTINGS
from services.scheduler.planning.week.refine import cut, objective, parts, refine
from services.scheduler.planning.week.solver import Solution, WeekModel, leg_bounds

MON, TUE, WED = "2026-12-07", "2026-12-08", "2026-12-09"
PLACES = [
    {"id": "hall", "name": "서울시청", "district": "중구", "lat": 37.5663, "lon": 126.9779},
    {"id": "gang", "name": "강남구청", "district": "강남구", "lat": 37.5172, "lon": 127.0473},
    {"id": "mapo", "name": "마포구청", "district": "마포구", "lat": 37.5663, "lon": 126.9019},
    {"id": "nowon", "name": "노원구청", "district": "노원구", "lat": 37.6542, "lon": 127.0568},
]


def req(rid: str, place: str, days: list[str], priority: int) -> dict[str, Any]:
    """An hour's visit that can only start at 10:00 on each of its days."""
    return {
        "id": rid,
        "title": f"방문 {rid}",
        "place_id": place,
        "duration_minutes": 60,
        "windows": [{"start": f"{d}T10:00", "end": f"{d}T11:00"} for d in days],
        "priority": priority,
        "category": "livelihood",
    }


def week(requests: list[dict[str, Any]], days: list[str]) -> PlanningProblem:
    return PlanningProblem.model_validate(
        {"days": [day(d) for d in days], "places": PLACES, "requests": requests}
    )


def started_with(c: Compiled, bounds: list[list[int]], ids: list[str]) -> Solution:
    """The best week holding only these requests (a search that stopped in a poor basin)."""
    only = {c.request_nodes[rid] for rid in ids}
    start = WeekModel(c, bounds, only=only).solve(timedelta(seconds=0.2), WEEK_SETTINGS)
    assert start is not None
    placed = {c.nodes[n].ref for route in start.days for n in route.nodes}
    assert placed == set(ids)
    return Solution(start.days, objective(c, bounds, start.days), start.status)


def placed_by_day(c: Compiled, solution: Solution) -> list[set[str]]:
    return [{c.nodes[n].ref for n in route.nodes} for route in solution.days]


def test_a_left_out_visit_is_swapped_in_for_a_less_valuable_one() -> None:
    # Monday's 10:00 holds one visit: the priority-3 one is placed, the priority-4 one
    # left out; only dropping the first makes room for the second.
    p = week(
        [
            req("low", "gang", [MON], 3),
            req("high", "mapo", [MON], 4),
            req("tue", "nowon", [TUE], 2),
        ],
        [MON, TUE],
    )
    c = compile_problem(p)
    bounds = leg_bounds(c)
    start = started_with(c, bounds, ["low", "tue"])
    better = refine(c, bounds, start, WEEK_SETTINGS, perf_counter() + 1.0)
    assert placed_by_day(c, better) == [{"high"}, {"tue"}]
    assert better.objective == objective(c, bounds, better.days) < start.objective


def test_a_visit_moves_to_another_day_to_make_room() -> None:
    # "flex" may go Monday or Tuesday; Monday-only "mon" is worth more than Tuesday's "tue":
    # the best week puts "mon" on Monday and moves "flex" to Tuesday in place of "tue".
    p = week(
        [
            req("flex", "gang", [MON, TUE], 4),
            req("mon", "mapo", [MON], 5),
            req("tue", "nowon", [TUE], 3),
        ],
        [MON, TUE],
    )
    c = compile_problem(p)
    bounds = leg_bounds(c)
    start = started_with(c, bounds, ["flex", "tue"])
    assert placed_by_day(c, start) == [{"flex"}, {"tue"}]
    better = refine(c, bounds, start, WEEK_SETTINGS, perf_counter() + 1.0)
    assert placed_by_day(c, better) == [{"mon"}, {"flex"}]


def test_a_part_holds_its_days_and_the_left_out_visits_allowed_on_them() -> None:
    p = week(
        [
            req("mon", "gang", [MON], 3),
            req("both", "mapo", [MON, WED], 3),
            req("wed", "nowon", [WED], 3),
        ],
        [MON, TUE, WED],
    )
    c = compile_problem(p)
    bounds = leg_bounds(c)
    empty = started_with(c, bounds, ["wed"])
    part = cut(c, bounds, empty, (0,))
    refs = {part.c.nodes[k].ref: part.c.nodes[k].days for k in range(2, len(part.nodes))}
    assert refs == {"mon": (0,), "both": (0,)}  # "wed" is Wednesday's only, and placed
    assert len(part.c.days) == 1 and part.c.day_spans == [c.day_spans[0]]
    assert parts(c)[:3] == [(0,), (1,), (2,)] and (0, 2) in parts(c)


def test_objective_is_the_routing_model_objective() -> None:
    p = week(
        [req("a", "gang", [MON], 3), req("b", "mapo", [MON, TUE], 4), req("c", "nowon", [TUE], 2)],
        [MON, TUE],
    )
    c = compile_problem(p)
    bounds = leg_bounds(c)
    solved = WeekModel(c, bounds).solve(timedelta(seconds=0.2), WEEK_SETTINGS)
    assert solved is not None
    assert objective(c, bounds, solved.days) == solved.objective


def test_a_one_day_plan_has_no_parts_and_the_week_plan_stays_feasible() -> None:
    one = week([req("a", "gang", [MON], 3)], [MON])
    assert parts(compile_problem(one)) == []
    p = week(
        [
            req("low", "gang", [MON], 3),
            req("high", "mapo", [MON], 4),
            req("tue", "nowon", [TUE], 2),
        ],
        [MON, TUE],
    )
    plan = plan_week(p, timedelta(seconds=0.5))
    assert violations(p, plan) == []
    assert {i.id for d in plan.days for i in d.items} == {"high", "tue"}
