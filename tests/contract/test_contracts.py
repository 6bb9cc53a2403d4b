"""Event contracts: the committed AsyncAPI document is what the apps generate; envelopes round-trip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from schemas.events import EVENT_KINDS, ITINERARY_CONFIRMED, UnreadableEvent, read_event
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot
from schemas.topics import all_topics
from schemas.vocabulary import SEOUL
from services.cli.asyncapi import asyncapi_document

ROOT = Path(__file__).parents[2]


def test_committed_asyncapi_document_is_current() -> None:
    committed = (ROOT / "schemas" / "asyncapi.json").read_text(encoding="utf-8")
    assert committed == asyncapi_document(), "run `make asyncapi` and commit schemas/asyncapi.json"


def test_every_event_kind_has_a_known_topic_and_unique_type_version() -> None:
    topics = {t.name for t in all_topics()}
    assert all(kind.topic.name in topics for kind in EVENT_KINDS.values())
    assert len(EVENT_KINDS) == len({(k.type, k.version) for k in EVENT_KINDS.values()})


def sample_stop() -> StopSnapshot:
    return StopSnapshot(
        stop_id="stop-1",
        version=1,
        kind="visit",
        title="착공식",
        purpose="격려",
        category="groundbreaking",
        place_name="월계역",
        district="노원구",
        latitude=37.62,
        longitude=127.06,
        starts_at=datetime(2026, 12, 1, 1, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 2, tzinfo=UTC),
        public=True,
        important=True,
        requesting_department="도시기반시설본부",
    )


def test_envelope_round_trips_and_keys_by_plan_date() -> None:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="pr-1",
        confirmed_by="팀",
        changes=[StopChange(change="scheduled", stop=sample_stop())],
    )
    envelope = ITINERARY_CONFIRMED.envelope(payload, producer="scheduler", correlation_id="c")
    again = read_event(envelope.model_dump_json())
    assert again == envelope
    assert ITINERARY_CONFIRMED.key(payload) == "2026-12-01"
    assert ITINERARY_CONFIRMED.partition_key(envelope) == "seoul/2026-12-01"
    other_office = ITINERARY_CONFIRMED.envelope(
        payload, producer="scheduler", correlation_id="c", office_id="busan"
    )
    assert ITINERARY_CONFIRMED.partition_key(other_office) == "busan/2026-12-01"


def test_occurred_at_is_always_utc_whoever_produced_it() -> None:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="p",
        confirmed_by="x",
        changes=[],
    )
    seoul_time = datetime(2026, 12, 1, 9, tzinfo=SEOUL)
    envelope = ITINERARY_CONFIRMED.envelope(
        payload, producer="s", correlation_id="c", occurred_at=seoul_time
    )
    assert envelope.occurred_at == seoul_time and envelope.occurred_at.utcoffset() == timedelta(0)
    assert '"occurred_at":"2026-12-01T00:00:00Z"' in envelope.model_dump_json()


def test_an_office_id_must_be_a_slug() -> None:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="p",
        confirmed_by="x",
        changes=[],
    )
    with pytest.raises(ValueError, match="office_id"):
        ITINERARY_CONFIRMED.envelope(
            payload, producer="s", correlation_id="c", office_id="Seoul City/1"
        )


def test_consumers_ignore_fields_they_do_not_know() -> None:
    """Producers may add fields without breaking readers."""
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="p",
        confirmed_by="x",
        changes=[],
    )
    raw = ITINERARY_CONFIRMED.envelope(payload, producer="s", correlation_id="c").model_dump_json()
    extended = raw.replace('"changes":[]', '"changes":[],"new_field":42').replace(
        '"producer"', '"trace":"t","producer"'
    )
    assert read_event(extended).payload.plan_version == 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "invalid envelope"),
        (b'{"type": "itinerary.confirmed"}', "invalid envelope"),
        (
            b'{"id": "00000000-0000-0000-0000-000000000000", "type": "x.y", "version": 1, '
            b'"occurred_at": "2026-01-01T00:00:00Z", "correlation_id": "c", "producer": "p", "payload": {}}',
            "unknown event type",
        ),
    ],
)
def test_unreadable_events_say_why(raw: bytes, reason: str) -> None:
    with pytest.raises(UnreadableEvent, match=reason):
        read_event(raw)
