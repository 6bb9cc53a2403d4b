"""The week model: each constraint on a small case with a known answer (brute force where small)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from itertools import permutations
from typing import Any

import pytest

from schemas.planning import ItemKind, PlanningProblem, ReasonCode, WeekPlanOut
from services.scheduler.planning.search import SearchSettings
from services.scheduler.planning.week import evaluate, plan_week
from services.scheduler.planning.week.check import violations
from services.scheduler.planning.week.horizon import NodeKind, compile_problem, occurrences
from services.scheduler.planning.week.solver import leg_bounds, value_scale

LIMIT = timedelta(seconds=0.2)
PLACES = [
    {"id": "hall", "name": "서울시청", "district": "중구", "lat": 37.5663, "lon": 126.9779},
    {"id": "res", "name": "공관", "district": "종로구", "lat": 37.5935, "lon": 126.9675},
    {"id": "yong", "name": "대통령실", "district": "용산구", "lat": 37.5326, "lon": 126.9776},
    {"id": "gang", "name": "강남구청", "district": "강남구", "lat": 37.5172, "lon": 127.0473},
    {"id": "nowon", "name": "노원구청", "district": "노원구", "lat": 37.6542, "lon": 127.0568},
    {"id": "mapo", "name": "마포구청", "district": "마포구", "lat": 37.5663, "lon": 126.9019},
    {
        "id": "sejong",
        "name": "정부세종청사",
        "district": "세종",
        "lat": 36.504,
        "lon": 127.265,
        "region": "세종",
    },
]


def day(d: str, **extra: Any) -> dict[str, Any]:
    return {
        "date": d,
        "start": "08:00",
        "end": "18:00",
        "start_place_id": "hall",
        "end_place_id": "hall",
        **extra,
    }


def req(
    rid: str,
    place: str,
    windows: list[tuple[str, str]],
    priority: int = 3,
    minutes: int = 60,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": rid,
        "title": f"방문 {rid}",
        "place_id": place,
        "duration_minutes": minutes,
        "windows": [{"start": a, "end": b} for a, b in windows],
        "priority": priority,
        "category": "livelihood",
        **extra,
    }


def problem(
    days: list[dict[str, Any]], requests: list[dict[str, Any]], **extra: Any
) -> PlanningProblem:
    return PlanningProblem.model_validate(
        {"days": days, "places": PLACES, "requests": requests, **extra}
    )


def solve(p: PlanningProblem) -> WeekPlanOut:
    plan = plan_week(p, LIMIT)
    assert violations(p, plan) == []
    return plan


def visits(plan: WeekPlanOut) -> dict[str, datetime]:
    return {i.id: i.start for d in plan.days for i in d.items if i.kind is ItemKind.VISIT}


def reasons(plan: WeekPlanOut) -> dict[str, ReasonCode]:
    return {x.request_id: x.code for x in plan.left_out}


MON, TUE = "2026-12-07", "2026-12-08"


def brute_force_best(p: PlanningProblem) -> tuple[int, int]:
    """Best (value, -travel) of one day over every subset and order, same bounds and grid."""
    c = compile_problem(p)
    bounds = leg_bounds(c)
    grid = p.grid_minutes
    requests = [i for i, n in enumerate(c.nodes) if n.kind is NodeKind.VISIT]
    best = (0, -(10**9))
    start, end = c.day_spans[0]
    for size in range(len(requests) + 1):
        for order in permutations(requests, size):
            now, here, ok, travel = start, 0, True, 0
            for node in order:
                n = c.nodes[node]
                arrive = now + -(-(c.nodes[here].occupy + bounds[here][node]) // grid) * grid
                if here == 0:
                    arrive = now + -(-(bounds[0][node]) // grid) * grid
                starts = [
                    max(arrive, a - n.buffer)
                    for a, b in n.ranges
                    if max(arrive, a - n.buffer) <= b - n.buffer
                ]
                if not starts:
                    ok = False
                    break
                travel += bounds[here][node]
                now, here = starts[0], node
            back = now + (c.nodes[here].occupy if here else 0) + bounds[here][1]
            if ok and back <= end:
                travel += bounds[here][1]
                value = sum(c.nodes[n].worth for n in order)
                best = max(best, (value, -travel))
    return best


def test_value_then_travel_match_brute_force_on_a_small_day() -> None:
    p = problem(
        [day(MON, end="13:00")],
        [
            req("a", "gang", [(f"{MON}T09:00", f"{MON}T12:00")], priority=5),
            req("b", "nowon", [(f"{MON}T09:00", f"{MON}T11:00")], priority=4),
            req("c", "mapo", [(f"{MON}T10:00", f"{MON}T12:30")], priority=3),
            req("d", "yong", [(f"{MON}T08:00", f"{MON}T13:00")], priority=1, minutes=30),
        ],
    )
    plan = solve(p)
    score = evaluate(p, plan)
    assert (score["value"], -score["travel_minutes"]) == brute_force_best(p)


def test_evaluate_agrees_with_the_solver_objective() -> None:
    p = problem(
        [day(MON), day(TUE)],
        [
            req(f"r{k}", place, [(f"{MON}T09:00", f"{TUE}T17:00")], priority=1 + k % 5)
            for k, place in enumerate(["gang", "nowon", "mapo", "yong", "gang", "mapo"])
        ],
    )
    from services.scheduler.planning.week.solver import WeekModel

    c = compile_problem(p)
    bounds = leg_bounds(c)
    solution = WeekModel(c, bounds).solve(LIMIT)
    assert solution is not None
    from services.scheduler.planning.week.plan import to_plan

    plan = to_plan(c, bounds, solution)
    score = evaluate(p, plan, c, bounds)
    dropped = sum(
        n.worth for n in c.nodes if n.kind is NodeKind.VISIT and n.ref not in visits(plan)
    )
    assert solution.objective == dropped * value_scale(c) + score["travel_minutes"]


def test_recurring_commitment_with_exception_is_fixed_on_its_days() -> None:
    cabinet = {
        "id": "cab",
        "title": "국무회의",
        "place_id": "yong",
        "start": "2026-12-01T10:00",
        "end": "2026-12-01T11:00",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "exdates": ["2026-12-15T10:00"],
    }
    p = problem([day(TUE), day("2026-12-15")], [], commitments=[cabinet])
    assert occurrences(p.commitments[0], datetime(2026, 12, 1), datetime(2026, 12, 31)) == [
        datetime(2026, 12, d, 10) for d in (1, 8, 22, 29)
    ]
    plan = solve(p)
    items = {d.date: [(i.kind, i.start.hour) for i in d.items] for d in plan.days}
    assert items[date(2026, 12, 8)] == [(ItemKind.COMMITMENT, 10)]
    assert items[date(2026, 12, 15)] == []


def test_lunch_is_kept_in_its_window_unless_a_commitment_covers_it() -> None:
    lunch = {"earliest_start": "11:30", "latest_end": "13:30", "duration_minutes": 60}
    p = problem(
        [day(MON, lunch=lunch), day(TUE, lunch=lunch)],
        [req("a", "gang", [(f"{MON}T11:00", f"{MON}T13:00")], priority=5, minutes=60)],
        commitments=[
            {
                "id": "w",
                "title": "오찬 간담회",
                "place_id": "mapo",
                "start": f"{TUE}T12:00",
                "end": f"{TUE}T13:30",
                "covers_lunch": True,
            }
        ],
    )
    plan = solve(p)
    monday, tuesday = plan.days
    lunches = [i for i in monday.items if i.kind is ItemKind.LUNCH]
    assert len(lunches) == 1 and lunches[0].end - lunches[0].start == timedelta(minutes=60)
    assert "a" in visits(plan)
    assert not [i for i in tuesday.items if i.kind is ItemKind.LUNCH]


def test_lunch_at_a_named_place_is_a_stop_there() -> None:
    lunch = {
        "earliest_start": "12:00",
        "latest_end": "13:00",
        "duration_minutes": 60,
        "place_id": "mapo",
    }
    plan = solve(problem([day(MON, lunch=lunch)], []))
    (item,) = plan.days[0].items
    assert (item.kind, item.place_id, item.start.hour) == (ItemKind.LUNCH, "mapo", 12)
    assert item.travel_minutes_before > 0


def test_max_visits_keeps_the_most_valuable_and_names_the_full_day() -> None:
    window = [(f"{MON}T08:00", f"{MON}T18:00")]
    p = problem(
        [day(MON, max_visits=2)],
        [
            req("a", "hall", window, 5, 30),
            req("b", "hall", window, 4, 30),
            req("c", "hall", window, 1, 30),
        ],
    )
    plan = solve(p)
    assert set(visits(plan)) == {"a", "b"}
    (left,) = plan.left_out
    assert left.code is ReasonCode.DAY_FULL and left.named_ids == [MON]


def test_buffers_separate_visits_at_the_same_place() -> None:
    window = [(f"{MON}T09:00", f"{MON}T12:00")]
    plan = solve(
        problem(
            [day(MON, buffer_minutes=15)],
            [req("a", "hall", window, 5, 60), req("b", "hall", window, 5, 60)],
        )
    )
    starts = sorted(visits(plan).values())
    assert len(starts) == 2 and starts[1] - starts[0] >= timedelta(minutes=90)


def test_blocked_period_keeps_visits_out_and_is_named() -> None:
    p = problem(
        [day(MON, blocked=[{"name": "시의회 본회의", "start": "13:00", "end": "17:00"}])],
        [
            req("in", "gang", [(f"{MON}T13:30", f"{MON}T16:30")]),
            req("around", "gang", [(f"{MON}T12:00", f"{MON}T18:00")]),
        ],
    )
    plan = solve(p)
    assert visits(plan)["around"] >= datetime.fromisoformat(f"{MON}T17:00") or visits(plan)[
        "around"
    ] + timedelta(minutes=60) <= datetime.fromisoformat(f"{MON}T13:00")
    (left,) = plan.left_out
    assert left.code is ReasonCode.BLOCKED and left.named_ids == [f"blocked@{MON}#0"]


def test_members_availability_is_intersected() -> None:
    members = [
        {
            "id": "m1",
            "name": "가상 의원 1",
            "availability": [{"start": f"{MON}T09:00", "end": f"{MON}T12:00"}],
        },
        {
            "id": "m2",
            "name": "가상 의원 2",
            "availability": [{"start": f"{MON}T11:00", "end": f"{MON}T15:00"}],
        },
    ]
    window = [(f"{MON}T08:00", f"{MON}T18:00")]
    p = problem(
        [day(MON)],
        [
            req("both", "hall", window, minutes=60, member_ids=["m1", "m2"]),
            req("never", "hall", window, minutes=90, member_ids=["m1", "m2"]),
        ],
        members=members,
    )
    plan = solve(p)
    assert visits(plan)["both"] == datetime.fromisoformat(f"{MON}T11:00")
    assert reasons(plan) == {"never": ReasonCode.MEMBERS_UNAVAILABLE}


def test_request_with_windows_on_two_days_is_placed_once() -> None:
    windows = [(f"{MON}T09:00", f"{MON}T12:00"), (f"{TUE}T09:00", f"{TUE}T12:00")]
    p = problem([day(MON, blocked=[{"name": "종일 출장"}]), day(TUE)], [req("a", "gang", windows)])
    plan = solve(p)
    assert visits(plan)["a"].date() == date(2026, 12, 8)
    p = problem([day(MON), day(TUE)], [req("a", "gang", windows)])
    assert len(visits(solve(p))) == 1


def test_start_and_end_places_and_out_of_town_legs() -> None:
    p = problem(
        [day(MON, start_place_id="res", end_place_id="sejong")],
        [req("a", "hall", [(f"{MON}T09:00", f"{MON}T12:00")])],
    )
    plan = solve(p)
    (d,) = plan.days
    first = d.items[0]
    assert first.travel_minutes_before > 0  # residence → City Hall
    assert d.travel_minutes == first.travel_minutes_before + 120  # City Hall → Sejong fixed


def test_no_arrival_after_the_start_shown_under_rush_hour() -> None:
    windows = [(f"{MON}T08:00", f"{MON}T10:00")]
    p = problem(
        [day(MON, start="07:00")], [req("a", "nowon", windows, 5), req("b", "gang", windows, 5, 30)]
    )
    plan = solve(p)
    for item in plan.days[0].items:
        assert item.depart_previous is not None
        assert item.depart_previous + timedelta(minutes=item.travel_minutes_before) <= item.start
    assert all(s.minute % 5 == 0 for s in visits(plan).values())


def test_checker_catches_a_late_hand_edit() -> None:
    p = problem([day(MON)], [req("a", "nowon", [(f"{MON}T08:00", f"{MON}T12:00")])])
    plan = solve(p)
    item = plan.days[0].items[0]
    item.depart_previous = item.start - timedelta(minutes=1)
    assert any("arrives" in v for v in violations(p, plan))


def test_clashing_mandatory_items_give_the_smallest_conflict() -> None:
    commitments = [
        {
            "id": "x",
            "title": "행사 X",
            "place_id": "gang",
            "start": f"{MON}T10:00",
            "end": f"{MON}T11:00",
        },
        {
            "id": "y",
            "title": "행사 Y",
            "place_id": "nowon",
            "start": f"{MON}T10:30",
            "end": f"{MON}T11:30",
        },
        {
            "id": "z",
            "title": "행사 Z",
            "place_id": "hall",
            "start": f"{MON}T15:00",
            "end": f"{MON}T16:00",
        },
    ]
    p = problem(
        [day(MON)],
        [req("m", "mapo", [(f"{MON}T08:00", f"{MON}T18:00")], mandatory=True)],
        commitments=commitments,
    )
    plan = plan_week(p, LIMIT)
    assert plan.days == [] and plan.conflicts == [[f"x@{MON}", f"y@{MON}"]]


def test_a_mandatory_request_that_can_never_fit_is_a_conflict_alone() -> None:
    p = problem(
        [day(MON, end="12:00")],
        [
            req("late", "gang", [(f"{MON}T14:00", f"{MON}T16:00")], mandatory=True),
            req("ok", "gang", [(f"{MON}T09:00", f"{MON}T11:00")]),
        ],
    )
    plan = plan_week(p, LIMIT)
    assert plan.conflicts == [["late"]]
    assert set(visits(plan)) == {"ok"}
    assert reasons(plan) == {"late": ReasonCode.NO_WINDOW}


def test_search_runs_both_insertion_orders_and_grows_from_the_mandatory_items_if_both_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from services.scheduler.planning.search import FirstSolution
    from services.scheduler.planning.week import plan as week_plan
    from services.scheduler.planning.week.solver import Solution

    seed = Solution((), 100, "ROUTING_SUCCESS")
    grown = Solution((), 50, "ROUTING_SUCCESS")
    calls: list[tuple[int, bool, Solution | None]] = []

    class Model:
        def __init__(self, *_: object) -> None:
            pass

        def solve(
            self,
            time_limit: timedelta,
            settings: SearchSettings,
            start_from: Solution | None = None,
        ) -> Solution | None:
            calls.append((settings.first_solution, settings.insertion_by_value, start_from))
            return grown if start_from is seed else None

    monkeypatch.setattr(week_plan, "WeekModel", Model)
    deadline = time.perf_counter() + 1
    found = week_plan._search(None, [], seed, week_plan.WEEK_SETTINGS, deadline)  # type: ignore[arg-type]
    insertion = FirstSolution.LOCAL_CHEAPEST_INSERTION
    assert calls == [
        (insertion, False, None),
        (insertion, True, None),
        (week_plan.WEEK_SETTINGS.first_solution, False, seed),
    ]
    assert found is grown
