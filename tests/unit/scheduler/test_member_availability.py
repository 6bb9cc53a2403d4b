"""Members' availability: windows merged and refused, and carried into the week problem."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler.domain.availability import availability_of
from services.scheduler.domain.proposals import WorkingDay
from services.scheduler.domain.requests import Place, VisitRequest
from services.scheduler.domain.week_problem import DayRules, week_problem
from services.scheduler.planning.problem import TimeWindow

MONDAY = date(2026, 12, 7)
TUESDAY = MONDAY + timedelta(days=1)
HALL = Place("서울시청", "중구", 37.5663, 126.9779)
WORKING_DAY = WorkingDay(start=time(7), end=time(22), depot=HALL)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SEOUL)


def window(day: date, start: int, end: int) -> TimeWindow:
    return TimeWindow(at(day, start), at(day, end))


def test_windows_are_ordered_and_overlapping_or_touching_ones_merged() -> None:
    stored = availability_of(
        "m-001",
        [
            window(TUESDAY, 14, 16),
            window(MONDAY, 11, 12),
            window(MONDAY, 9, 11),
            window(MONDAY, 10, 11),
        ],
    )
    assert stored.windows == (window(MONDAY, 9, 12), window(TUESDAY, 14, 16))


def test_a_window_must_end_after_it_starts_and_know_its_zone() -> None:
    with pytest.raises(ValueError, match="종료 시각"):
        availability_of("m-001", [window(MONDAY, 10, 10)])
    naive = TimeWindow(datetime(2026, 12, 7, 9), datetime(2026, 12, 7, 10))
    with pytest.raises(ValueError, match="시간대"):
        availability_of("m-001", [naive])


def round_table(member_ids: tuple[str, ...]) -> VisitRequest:
    return VisitRequest(
        id="vr-1",
        title="교통위원회 간담회",
        purpose="설명",
        category="council_meeting",
        policy_area=None,
        place=Place("서울시의회", "중구", 37.5657, 126.977),
        duration=timedelta(hours=1),
        windows=(window(MONDAY, 10, 12), window(TUESDAY, 10, 12)),
        priority=4,
        public=True,
        important=False,
        requesting_department="대외협력과",
        member_ids=member_ids,
    )


def test_the_problem_carries_stored_windows_in_range_and_working_hours_for_the_rest() -> None:
    stored = availability_of(
        "m-001", [window(MONDAY - timedelta(days=7), 9, 12), window(TUESDAY, 9, 12)]
    )
    week = week_problem(
        [MONDAY, TUESDAY],
        [round_table(("m-001", "m-002"))],
        [],
        WORKING_DAY,
        DayRules(),
        {},
        {"m-001": stored},
        {"m-001": "강새벽"},
    )
    [request] = week.problem.requests
    assert request.member_ids == ["m-001", "m-002"]
    members = {m.id: m for m in week.problem.members}
    assert members["m-001"].name == "강새벽"
    assert [(w.start, w.end) for w in members["m-001"].availability] == [
        (datetime(2026, 12, 8, 9), datetime(2026, 12, 8, 12))
    ], "the window of the week before is left out; times are Seoul wall-clock"
    assert members["m-002"].name == "m-002", "a member missing from the names keeps the id"
    assert [(w.start, w.end) for w in members["m-002"].availability] == [
        (datetime(2026, 12, 7, 7), datetime(2026, 12, 7, 22)),
        (datetime(2026, 12, 8, 7), datetime(2026, 12, 8, 22)),
    ]


def test_a_member_stored_without_windows_in_range_is_available_at_no_time() -> None:
    away = availability_of("m-001", [window(MONDAY + timedelta(days=14), 9, 12)])
    week = week_problem(
        [MONDAY], [round_table(("m-001",))], [], WORKING_DAY, DayRules(), {}, {"m-001": away}
    )
    [member] = week.problem.members
    assert member.availability == []


def test_only_the_members_of_offered_requests_are_in_the_problem() -> None:
    week = week_problem([MONDAY], [round_table(())], [], WORKING_DAY, DayRules(), {})
    assert week.problem.members == []
