"""The briefing's use cases against fakes of its own ports (no database, no broker)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import briefing_fakes as fakes
import pytest

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot
from schemas.vocabulary import StopChangeKind
from services.briefing import handlers
from services.common.errors import NotFound

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def kb() -> fakes.PackagedRecords:
    return fakes.PackagedRecords()


def snapshot(version: int = 1, district: str = "노원구", hour: int = 0) -> StopSnapshot:
    starts_at = START + timedelta(hours=hour)
    return StopSnapshot(
        stop_id="stop-1",
        version=version,
        kind="visit",
        title="송전선로 지중화 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        policy_area="safety",
        place_name="월계역 환승주차장",
        district=district,
        latitude=37.62,
        longitude=127.06,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        public=True,
        important=True,
        requesting_department="도시기반시설본부",
    )


def confirmed(*changes: StopChange, correlation_id: str = "req-42") -> Envelope[Any]:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="pr-1",
        confirmed_by="일정팀",
        changes=list(changes),
    )
    return ITINERARY_CONFIRMED.envelope(
        payload, producer="scheduler", correlation_id=correlation_id
    )


def test_a_confirmed_stop_is_briefed_and_announced_in_the_same_chain(
    kb: fakes.PackagedRecords,
) -> None:
    uow = fakes.FakeUnitOfWork()
    event = confirmed(StopChange(change="scheduled", stop=snapshot()))

    built = handlers.when_itinerary_confirmed_build_briefings(uow, event, now=NOW, records=kb)

    assert built == 1
    [stored] = uow.repo.stored
    assert (stored.briefing.stop_id, stored.briefing.stop_version) == ("stop-1", 1)
    assert stored.change is StopChangeKind.SCHEDULED
    [ready] = uow.published
    assert (ready.type, ready.version) == (BRIEFING_READY.type, BRIEFING_READY.version)
    assert ready.correlation_id == "req-42"
    assert ready.causation_id == event.id
    assert ready.office_id == "seoul"
    payload: BriefingReady = ready.payload
    assert payload.briefing_id == stored.id
    assert payload.change is StopChangeKind.SCHEDULED
    assert payload.stop.model_dump() == snapshot().model_dump(
        include=set(type(payload.stop).model_fields)
    )
    assert payload.previous is None
    assert payload.talking_points and payload.summary == stored.briefing.summary
    assert BRIEFING_READY.partition_key(ready) == "seoul/stop-1"


def test_a_rescheduled_stop_carries_its_previous_version(kb: fakes.PackagedRecords) -> None:
    uow = fakes.FakeUnitOfWork()
    moved = StopChange(
        change="rescheduled",
        stop=snapshot(version=2, district="도봉구", hour=2),
        previous=snapshot(),
    )

    handlers.when_itinerary_confirmed_build_briefings(uow, confirmed(moved), now=NOW, records=kb)

    [ready] = uow.published
    assert ready.payload.change is StopChangeKind.RESCHEDULED
    assert (ready.payload.stop.version, ready.payload.stop.district) == (2, "도봉구")
    assert ready.payload.previous is not None
    assert (ready.payload.previous.version, ready.payload.previous.district) == (1, "노원구")


def test_redelivery_and_republished_versions_build_nothing(kb: fakes.PackagedRecords) -> None:
    uow = fakes.FakeUnitOfWork()
    event = confirmed(StopChange(change="scheduled", stop=snapshot()))
    build = handlers.when_itinerary_confirmed_build_briefings

    assert build(uow, event, now=NOW, records=kb) == 1
    assert build(uow, event, now=NOW, records=kb) == 0, "the same event id again"
    again = event.model_copy(update={"id": uuid.uuid4()})
    assert build(uow, again, now=NOW, records=kb) == 0, "the same stop version again"
    assert len(uow.repo.stored) == 1 and len(uow.published) == 1


def test_briefings_for_a_stop_are_newest_first_and_unknown_stops_are_not_found(
    kb: fakes.PackagedRecords,
) -> None:
    uow = fakes.FakeUnitOfWork()
    build = handlers.when_itinerary_confirmed_build_briefings
    build(uow, confirmed(StopChange(change="scheduled", stop=snapshot())), now=NOW, records=kb)
    cancelled = StopChange(change="cancelled", stop=snapshot(version=2))
    build(uow, confirmed(cancelled), now=NOW, records=kb)

    stored = handlers.briefings_for_stop(uow, "stop-1")

    assert [(s.briefing.stop_version, s.change) for s in stored] == [
        (2, StopChangeKind.CANCELLED),
        (1, StopChangeKind.SCHEDULED),
    ]
    with pytest.raises(NotFound):
        handlers.briefings_for_stop(uow, "stop-unknown")


def test_the_announced_points_and_version_come_from_the_stored_document(
    kb: fakes.PackagedRecords,
) -> None:
    uow = fakes.FakeUnitOfWork()
    event = confirmed(StopChange(change="scheduled", stop=snapshot()))

    handlers.when_itinerary_confirmed_build_briefings(uow, event, now=NOW, records=kb)

    [stored] = uow.repo.stored
    [ready] = uow.published
    assert stored.document is not None
    payload: BriefingReady = ready.payload
    assert payload.knowledge_base_version == stored.document.knowledge_base_version == "kb-1"
    assert payload.summary == stored.document.summary
    purpose, *cited = payload.talking_points
    assert purpose.text == "착공 축하" and purpose.citation is None
    sentences = {
        item.citation.sentence
        for section in stored.document.sections
        for item in section.items
        if item.citation is not None
    }
    assert cited and all(p.citation and p.citation.excerpt in sentences for p in cited)


def test_a_cancellation_carries_the_schedulers_reason(kb: fakes.PackagedRecords) -> None:
    uow = fakes.FakeUnitOfWork()
    scheduled = StopChange(change="scheduled", stop=snapshot(), reason="무시됨")
    cancelled = StopChange(
        change="cancelled", stop=snapshot(version=2), previous=snapshot(), reason="요청 철회"
    )
    build = handlers.when_itinerary_confirmed_build_briefings

    build(uow, confirmed(scheduled), now=NOW, records=kb)
    build(uow, confirmed(cancelled), now=NOW, records=kb)

    first, second = (e.payload for e in uow.published)
    assert first.cancellation_reason is None, "only a cancellation says why"
    assert (second.change, second.cancellation_reason) == (StopChangeKind.CANCELLED, "요청 철회")
