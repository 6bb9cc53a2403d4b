"""The consumer's routing on FastStream's in-memory broker: what it handles, skips, parks.

Redelivery after a failure and committed offsets need a real broker: see
tests/integration/test_consumer_delivery.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED, EventKind
from schemas.scheduler import ItineraryConfirmed
from schemas.topics import ITINERARY, dead_letter_topic
from services.common.consumer import ConsumerStats, subscribe_events
from services.common.settings import RuntimeSettings

GROUP = "briefing"


def confirmed(plan_version: int) -> dict[str, Any]:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=plan_version,
        proposal_id="pr-1",
        confirmed_by="tester",
        changes=[],
    )
    envelope = ITINERARY_CONFIRMED.envelope(payload, producer="test", correlation_id="c-1")
    return envelope.model_dump(mode="json")


async def consume(messages: list[bytes]) -> tuple[list[int], ConsumerStats, list[Any]]:
    """Publish `messages` on the itinerary topic; return what the handler saw and what parked."""
    seen: list[int] = []
    parked: list[Any] = []

    async def handler(envelope: Envelope[Any]) -> None:
        seen.append(envelope.payload.plan_version)

    broker = KafkaBroker()
    stats = subscribe_events(
        broker,
        topics=[ITINERARY],
        group=GROUP,
        handlers={ITINERARY_CONFIRMED: handler},
        settings=RuntimeSettings(),
    )

    @broker.subscriber(dead_letter_topic(GROUP).name)
    async def dead_letter(message: KafkaMessage) -> None:
        parked.append(message.body)

    async with TestKafkaBroker(broker) as test_broker:
        for message in messages:
            await test_broker.publish(message, ITINERARY.name, key=b"seoul/2026-12-01")
    return seen, stats, parked


async def test_a_handled_kind_reaches_its_handler() -> None:
    seen, stats, parked = await consume([json.dumps(confirmed(3)).encode()])
    assert seen == [3]
    assert stats.handled == {"itinerary.confirmed v1": 1}
    assert parked == [] and stats.dead_lettered == 0


@pytest.mark.parametrize(
    "change",
    [{"version": 2}, {"type": "itinerary.archived"}, {"type": "briefing.ready"}],
    ids=["newer version", "new type", "kind of another group"],
)
async def test_kinds_the_group_does_not_handle_are_skipped_and_counted(
    change: dict[str, Any],
) -> None:
    event = confirmed(3) | change
    seen, stats, parked = await consume([json.dumps(event).encode()])
    assert seen == [] and parked == []
    assert stats.skipped == {f"{event['type']} v{event['version']}": 1}


@pytest.mark.parametrize(
    "body",
    [b"not json", json.dumps({"id": "x"}).encode(), b"{}"],
    ids=["not json", "no envelope", "empty object"],
)
async def test_unreadable_messages_are_parked(body: bytes) -> None:
    seen, stats, parked = await consume([body, json.dumps(confirmed(4)).encode()])
    assert parked == [body]
    assert stats.dead_lettered == 1
    assert seen == [4], "the consumer goes on after a poison message"


async def test_a_handled_kind_with_an_invalid_payload_is_parked() -> None:
    event = confirmed(5)
    event["payload"]["plan_version"] = "five"
    seen, stats, parked = await consume([json.dumps(event).encode()])
    assert seen == [] and len(parked) == 1
    assert stats.dead_lettered == 1


def test_a_handler_for_an_unregistered_kind_is_refused() -> None:
    rogue = EventKind("briefing.ready", 9, BRIEFING_READY.payload, BRIEFING_READY.topic, str)

    async def handler(_: Envelope[Any]) -> None: ...

    with pytest.raises(ValueError, match="EVENT_KINDS"):
        subscribe_events(
            KafkaBroker(),
            topics=[ITINERARY],
            group=GROUP,
            handlers={rogue: handler},
            settings=RuntimeSettings(),
        )
