"""A request's required members become its stop's attendees, published and kept with the stop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from test_handlers import NOW, at, confirm, make_scheduler, propose, published, visit

from schemas.events import read_event
from schemas.scheduler import StopKind, StopSnapshot
from schemas.vocabulary import StopChangeKind
from services.scheduler import corrections, handlers
from services.scheduler.adapters.events import change_event
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import CreateVisitRequest
from services.scheduler.domain.itinerary import Stop, diff_itinerary
from services.scheduler.domain.requests import Place
from services.scheduler.patches import VisitRequestPatch

ATTENDEES = ["m-001", "m-002"]


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[Scheduler]:
    service = make_scheduler(tmp_path)
    yield service
    service.engine.dispose()


def council_meeting(start: int, end: int, member_ids: list[str]) -> CreateVisitRequest:
    fields = visit("보건복지위원회 의원 간담회", start, end).model_dump()
    fields.update(category="council_meeting", policy_area="welfare", member_ids=member_ids)
    return CreateVisitRequest.model_validate(fields, context={"today": NOW.date()})


def published_stops(scheduler: Scheduler) -> dict[str, StopSnapshot]:
    """The stops of the last `itinerary.confirmed`, by title."""
    event = read_event(published(scheduler)[-1])
    return {c.stop.title: c.stop for c in event.payload.changes}


async def test_the_confirmation_carries_the_requests_members_as_attendees(
    scheduler: Scheduler,
) -> None:
    handlers.create_visit_request(scheduler.uow(), council_meeting(10, 12, ATTENDEES), NOW)
    handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 14, 16), NOW)

    confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))

    stops = published_stops(scheduler)
    assert stops["보건복지위원회 의원 간담회"].attendee_ids == ATTENDEES
    assert stops["시장 방문"].attendee_ids == [], "a request without members names nobody"
    kept = handlers.itinerary_between(scheduler.uow(), at(0), at(23))
    assert {s.title: s.attendee_ids for s, _ in kept} == {
        "보건복지위원회 의원 간담회": tuple(ATTENDEES),
        "시장 방문": (),
    }


async def test_changing_the_attendees_reschedules_the_stop_with_both_lists(
    scheduler: Scheduler,
) -> None:
    request = handlers.create_visit_request(
        scheduler.uow(), council_meeting(10, 12, ATTENDEES), NOW
    )
    confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    corrections.edit_visit_request(
        scheduler.uow(), request.id, VisitRequestPatch(member_ids=["m-001", "m-003"]), later
    )

    confirm(scheduler, await propose(scheduler, now=later), later + timedelta(minutes=1))

    [change] = read_event(published(scheduler)[-1]).payload.changes
    assert change.change == StopChangeKind.RESCHEDULED
    assert (change.stop.attendee_ids, change.previous.attendee_ids) == (
        ["m-001", "m-003"],
        ATTENDEES,
    )


def test_the_same_attendees_in_another_order_change_nothing() -> None:
    stop = Stop(
        stop_id="stop-vr-1",
        source_id="vr-1",
        kind=StopKind.VISIT,
        title="의원 간담회",
        purpose="협치",
        category="council_meeting",
        policy_area="welfare",
        place=Place("시의회", "중구", 37.56, 126.97),
        starts_at=at(10),
        ends_at=at(11),
        public=True,
        important=False,
        requesting_department="대외협력과",
        attendee_ids=("m-001", "m-002"),
    )
    confirmed = {stop.stop_id: stop}

    assert diff_itinerary(confirmed, [replace(stop, attendee_ids=("m-002", "m-001"))]) == []
    [change] = diff_itinerary(confirmed, [replace(stop, attendee_ids=("m-001",))])
    assert change.change == StopChangeKind.RESCHEDULED
    assert change_event(change).stop.attendee_ids == ["m-001"]
