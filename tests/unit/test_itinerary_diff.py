"""Per-stop changes between two confirmed plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from schemas.vocabulary import SEOUL
from services.scheduler.domain.itinerary import Stop, diff_itinerary
from services.scheduler.domain.requests import Place

START = datetime(2026, 12, 1, 10, tzinfo=SEOUL)


def stop(stop_id: str, hour: int, version: int = 1) -> Stop:
    return Stop(
        stop_id=stop_id,
        source_id=stop_id,
        kind="visit",
        title=stop_id,
        purpose="p",
        category="livelihood",
        policy_area=None,
        place=Place("시청", "중구", 37.56, 126.97),
        starts_at=START.replace(hour=hour),
        ends_at=START.replace(hour=hour) + timedelta(hours=1),
        public=True,
        important=False,
        requesting_department="d",
        version=version,
    )


def test_first_plan_schedules_every_stop_at_version_one() -> None:
    changes = diff_itinerary({}, [stop("b", 14), stop("a", 10)])
    assert [(c.change, c.stop.stop_id, c.stop.version) for c in changes] == [
        ("scheduled", "a", 1),
        ("scheduled", "b", 1),
    ]


def test_moved_stop_is_rescheduled_with_previous_and_next_version() -> None:
    confirmed = {"a": stop("a", 10, version=2)}
    [change] = diff_itinerary(confirmed, [stop("a", 15)])
    assert change.change == "rescheduled"
    assert change.stop.version == 3
    assert change.previous is not None and change.previous.starts_at.hour == 10


def test_unchanged_stop_produces_no_change_and_missing_one_is_cancelled() -> None:
    confirmed = {"a": stop("a", 10), "b": stop("b", 14)}
    changes = diff_itinerary(confirmed, [stop("a", 10)])
    assert [(c.change, c.stop.stop_id, c.stop.version) for c in changes] == [("cancelled", "b", 2)]


def test_a_stop_that_returns_continues_its_version_sequence() -> None:
    [change] = diff_itinerary({}, [stop("a", 10)], last_versions={"a": 4})
    assert (change.change, change.stop.version) == ("scheduled", 5)


def test_changing_only_visibility_is_a_change_recipients_must_hear_of() -> None:
    confirmed = {"a": stop("a", 10)}
    [change] = diff_itinerary(confirmed, [replace(stop("a", 10), public=False)])
    assert change.change == "rescheduled"
