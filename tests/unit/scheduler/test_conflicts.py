"""Conflicts among fixed commitments and pins, and with the day's bounds."""

from datetime import datetime, timedelta

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler.planning.conflicts import find_conflicts
from services.scheduler.planning.model import (
    Candidate,
    DayPlanRequest,
    PlanInfeasible,
    TimeWindow,
    plan_day,
)
from services.scheduler.planning.travel import Location, SeoulRoadEstimate

CITY_HALL = Location(37.5663, 126.9779)
YONGSAN = Location(37.5326, 126.9905)
NOWON_OFFICE = Location(37.6542, 127.0568)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 4, hour, minute, tzinfo=SEOUL)


def fixed(cid: str, label: str, place: Location, start: datetime, end: datetime, **kw) -> Candidate:
    return Candidate(cid, label, place, end - start, (TimeWindow(start, end),), 1, fixed=True, **kw)


def day(*candidates: Candidate) -> DayPlanRequest:
    return DayPlanRequest(at(8), at(20), CITY_HALL, candidates, time_limit=timedelta(seconds=1))


def codes(conflicts) -> set[tuple[str, tuple[str, ...]]]:
    return {(c.reason_code, c.candidate_ids) for c in conflicts}


def test_compatible_commitments_have_no_conflict() -> None:
    request = day(
        fixed("cabinet", "국무회의", YONGSAN, at(10), at(11)),
        fixed("briefing", "기자회견", CITY_HALL, at(14), at(15)),
    )
    assert find_conflicts(request, SeoulRoadEstimate()) == ()


def test_overlap_names_both_labels_and_times() -> None:
    request = day(
        fixed("cabinet", "국무회의", YONGSAN, at(10), at(12)),
        fixed("plenary", "본회의", CITY_HALL, at(11), at(13)),
    )
    (conflict,) = find_conflicts(request, SeoulRoadEstimate())
    assert conflict.reason_code == "overlap"
    assert conflict.candidate_ids == ("cabinet", "plenary")
    assert "국무회의" in conflict.reason and "10:00–12:00" in conflict.reason
    assert "본회의" in conflict.reason and "11:00–13:00" in conflict.reason


def test_every_overlapping_pair_is_reported() -> None:
    request = day(
        fixed("a", "가", CITY_HALL, at(10), at(13)),
        fixed("b", "나", CITY_HALL, at(11), at(12)),
        fixed("c", "다", CITY_HALL, at(11, 30), at(14)),
    )
    assert codes(find_conflicts(request, SeoulRoadEstimate())) == {
        ("overlap", ("a", "b")),
        ("overlap", ("a", "c")),
        ("overlap", ("b", "c")),
    }


def test_back_to_back_commitments_too_far_apart() -> None:
    request = day(
        fixed("cabinet", "국무회의", YONGSAN, at(10), at(11)),
        fixed("nowon", "노원 현장점검", NOWON_OFFICE, at(11, 10), at(12)),
    )
    (conflict,) = find_conflicts(request, SeoulRoadEstimate())
    assert (conflict.reason_code, conflict.candidate_ids) == ("travel_time", ("cabinet", "nowon"))
    assert "이동" in conflict.reason and "분" in conflict.reason


def test_commitment_outside_the_day() -> None:
    request = day(fixed("dinner", "만찬", CITY_HALL, at(19, 30), at(21)))
    assert codes(find_conflicts(request, SeoulRoadEstimate())) == {("outside_day", ("dinner",))}


def test_commitment_not_reachable_from_city_hall_at_day_start() -> None:
    request = day(fixed("early", "노원 조찬", NOWON_OFFICE, at(8, 10), at(9)))
    assert codes(find_conflicts(request, SeoulRoadEstimate())) == {
        ("unreachable_from_depot", ("early",))
    }


def test_commitment_too_late_to_return_to_city_hall() -> None:
    request = day(fixed("late", "노원 간담회", NOWON_OFFICE, at(19), at(19, 50)))
    assert codes(find_conflicts(request, SeoulRoadEstimate())) == {("cannot_return", ("late",))}


def test_pins_count_as_mandatory() -> None:
    pinned = Candidate(
        "visit",
        "현장 방문",
        CITY_HALL,
        timedelta(hours=1),
        (TimeWindow(at(9), at(18)),),
        5,
        pinned_start=at(10, 30),
    )
    request = day(fixed("cabinet", "국무회의", CITY_HALL, at(10), at(11)), pinned)
    assert codes(find_conflicts(request, SeoulRoadEstimate())) == {
        ("overlap", ("cabinet", "visit"))
    }


def test_optional_candidates_never_conflict() -> None:
    optional = Candidate(
        "v", "방문", CITY_HALL, timedelta(hours=2), (TimeWindow(at(10), at(12)),), 5
    )
    request = day(fixed("cabinet", "국무회의", CITY_HALL, at(10), at(11)), optional)
    assert find_conflicts(request, SeoulRoadEstimate()) == ()


def test_matrix_and_provider_agree() -> None:
    request = day(
        fixed("cabinet", "국무회의", YONGSAN, at(10), at(11)),
        fixed("nowon", "노원 현장점검", NOWON_OFFICE, at(11, 10), at(12)),
    )
    matrix = [[0, 20, 40], [20, 0, 90], [40, 90, 0]]  # depot, cabinet, nowon
    assert codes(find_conflicts(request, matrix)) == codes(
        find_conflicts(request, SeoulRoadEstimate())
    )
    relaxed = [[0, 20, 40], [20, 0, 5], [40, 5, 0]]
    assert find_conflicts(request, relaxed) == ()


def test_plan_day_raises_with_the_conflicts_in_korean() -> None:
    request = day(
        fixed("cabinet", "국무회의", YONGSAN, at(10), at(12)),
        fixed("plenary", "본회의", CITY_HALL, at(11), at(13)),
    )
    with pytest.raises(PlanInfeasible) as raised:
        plan_day(request, SeoulRoadEstimate())
    assert codes(raised.value.conflicts) == {("overlap", ("cabinet", "plenary"))}
    assert str(raised.value).startswith("고정 일정을 모두 지킬 수 없어")
