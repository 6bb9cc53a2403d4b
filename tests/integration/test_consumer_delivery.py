"""Delivery semantics on the real broker: commit after success, dead letters, keep going.

What only a real broker shows: a failed handler makes the broker redeliver (the offset was
not committed), a restarted group resumes after the last commit, and parked messages land
on a real dead-letter topic with their headers. Routing alone is tested on the in-memory
broker in tests/unit/test_consumer_routing.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from faststream.kafka import KafkaBroker

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed
from schemas.topics import ITINERARY, dead_letter_topic
from services.common.consumer import ConsumerStats, subscribe_events
from services.common.settings import RuntimeSettings
from services.common.topics import ensure_topics

GROUP = "briefing"  # a group with a dead-letter topic created by the launcher
DEAD_LETTERS = dead_letter_topic(GROUP).name
TopicReader = Callable[..., Awaitable[list[Any]]]  # the read_topic fixture


async def run_consumer(
    servers: str, handler: Any, max_attempts: int = 3
) -> tuple[KafkaBroker, ConsumerStats]:
    broker = KafkaBroker(servers)
    stats = subscribe_events(
        broker,
        topics=[ITINERARY],
        group=GROUP,
        handlers={ITINERARY_CONFIRMED: handler},
        settings=RuntimeSettings(consumer_max_attempts=max_attempts),
    )
    await broker.start()
    return broker, stats


async def wait_for(predicate: Any, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.1)


async def test_poison_is_dead_lettered_unknown_kinds_pass_and_the_consumer_goes_on(
    kafka: str,
    confirmed_envelope: Callable[[int], Envelope[ItineraryConfirmed]],
    read_topic: TopicReader,
) -> None:
    await ensure_topics(kafka)
    seen: list[int] = []

    async def handler(envelope: Envelope[Any]) -> None:
        seen.append(envelope.payload.plan_version)

    broker, stats = await run_consumer(kafka, handler)
    try:
        await broker.publish(b"this is not json", ITINERARY.name, key=b"2026-12-01")
        await broker.publish(json.dumps({"id": "x"}).encode(), ITINERARY.name, key=b"2026-12-01")
        newer = confirmed_envelope(8).model_dump(mode="json") | {"version": 99}
        await broker.publish(json.dumps(newer).encode(), ITINERARY.name, key=b"2026-12-01")
        other = confirmed_envelope(9).model_dump(mode="json") | {"type": "itinerary.archived"}
        await broker.publish(json.dumps(other).encode(), ITINERARY.name, key=b"2026-12-01")
        await broker.publish(
            confirmed_envelope(7).model_dump_json().encode(), ITINERARY.name, key=b"2026-12-01"
        )
        await wait_for(lambda: seen == [7])
    finally:
        await broker.stop()

    parked = await read_topic(kafka, DEAD_LETTERS, at_least=2)
    assert stats.dead_lettered == 2, "an unknown type or version must not be dead-lettered"
    assert stats.skipped == {"itinerary.confirmed v99": 1, "itinerary.archived v1": 1}
    assert stats.handled == {"itinerary.confirmed v1": 1}
    reasons = [dict(r.headers)["x-dead-letter-reason"].decode() for r in parked]
    assert parked[0].value == b"this is not json"
    assert "invalid envelope" in reasons[0]
    assert "invalid envelope" in reasons[1] and "type" in reasons[1]
    assert all(dict(r.headers)["x-original-topic"].decode() == ITINERARY.name for r in parked)


async def test_failing_handler_is_retried_then_dead_lettered_without_blocking(
    kafka: str,
    confirmed_envelope: Callable[[int], Envelope[ItineraryConfirmed]],
    read_topic: TopicReader,
) -> None:
    attempts: dict[int, int] = {}

    async def handler(envelope: Envelope[Any]) -> None:
        version = envelope.payload.plan_version
        attempts[version] = attempts.get(version, 0) + 1
        if version == 1:
            raise RuntimeError("database unavailable")

    broker, _ = await run_consumer(kafka, handler, max_attempts=3)
    try:
        await broker.publish(
            confirmed_envelope(1).model_dump_json().encode(), ITINERARY.name, key=b"k"
        )
        await broker.publish(
            confirmed_envelope(2).model_dump_json().encode(), ITINERARY.name, key=b"k"
        )
        await wait_for(lambda: attempts.get(2) == 1)
    finally:
        await broker.stop()

    assert attempts[1] == 3
    parked = await read_topic(kafka, DEAD_LETTERS, at_least=1)
    assert "handler failed 3 times" in dict(parked[0].headers)["x-dead-letter-reason"].decode()


async def test_offset_is_committed_only_after_success(
    kafka: str, confirmed_envelope: Callable[[int], Envelope[ItineraryConfirmed]]
) -> None:
    """A handler that fails once sees the message again; a restarted consumer sees nothing twice."""
    calls: list[int] = []

    async def flaky(envelope: Envelope[Any]) -> None:
        calls.append(envelope.payload.plan_version)
        if len(calls) == 1:
            raise RuntimeError("transient")

    broker, _ = await run_consumer(kafka, flaky, max_attempts=5)
    try:
        await broker.publish(
            confirmed_envelope(3).model_dump_json().encode(), ITINERARY.name, key=b"k"
        )
        await wait_for(lambda: len(calls) == 2)
    finally:
        await broker.stop()
    assert calls == [3, 3]

    again: list[int] = []

    async def record(envelope: Envelope[Any]) -> None:
        again.append(envelope.payload.plan_version)

    broker, _ = await run_consumer(kafka, record)
    try:
        await broker.publish(
            confirmed_envelope(4).model_dump_json().encode(), ITINERARY.name, key=b"k"
        )
        await wait_for(lambda: 4 in again)
    finally:
        await broker.stop()
    assert again == [4]
