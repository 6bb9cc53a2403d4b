"""Every reason is true: what it names is in the plan, overlaps the windows, is worth enough."""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.planning import ItemKind, ReasonCode
from services.scheduler.planning.week import plan_week
from services.scheduler.planning.week.check import violations
from services.scheduler.planning.week.synthetic import synthetic_week


def test_each_reason_claim_checks_out_against_the_plan() -> None:
    problem = synthetic_week(seed=3, requests=40, days=3)
    plan = plan_week(problem, timedelta(seconds=0.5))
    assert violations(problem, plan) == []
    items = {i.id: i for day in plan.days for i in day.items}
    requests = {r.id: r for r in problem.requests}
    worth = problem.weights.priority_worth
    placed = {i for i, item in items.items() if item.kind is ItemKind.VISIT}
    assert {x.request_id for x in plan.left_out} == set(requests) - placed
    codes = set()
    for left in plan.left_out:
        codes.add(left.code)
        request = requests[left.request_id]
        assert left.reason
        if left.code in (ReasonCode.OUTVALUED, ReasonCode.BLOCKED) and left.named_ids:
            for ref in left.named_ids:
                if ref in items:  # named plan items overlap one of the windows
                    item = items[ref]
                    assert any(
                        item.start < w.end and w.start < item.end for w in request.windows
                    ), (left, item)
        if left.code is ReasonCode.OUTVALUED:
            named = [items[ref] for ref in left.named_ids]
            mine = worth[request.priority]
            assert named and (
                all(item.worth >= mine for item in named) or sum(i.worth for i in named) >= mine
            )
        if left.code is ReasonCode.DAY_FULL:
            for date in left.named_ids:
                (day,) = [d for d in plan.days if str(d.date) == date]
                assert day.visits == next(d.max_visits for d in problem.days if str(d.date) == date)
    assert ReasonCode.OUTVALUED in codes


def test_outvalued_names_the_more_valuable_visit_and_its_time() -> None:
    problem = synthetic_week(seed=1, requests=0, days=1)
    data = problem.model_dump(mode="json")
    window = [{"start": "2026-12-07T10:00", "end": "2026-12-07T11:00"}]
    for rid, priority in (("high", 5), ("low", 2)):
        data["requests"].append(
            {
                "id": rid,
                "title": rid,
                "place_id": "hall",
                "duration_minutes": 60,
                "windows": window,
                "priority": priority,
                "category": "press",
            }
        )
    problem = type(problem).model_validate(data)
    plan = plan_week(problem, timedelta(seconds=0.2))
    (left,) = plan.left_out
    assert left.request_id == "low" and left.code is ReasonCode.OUTVALUED
    assert left.named_ids == ["high"] and "10:00" in left.reason
    assert datetime(2026, 12, 7, 10) == next(
        i.start for d in plan.days for i in d.items if i.id == "high"
    )
