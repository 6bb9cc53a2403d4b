"""Subscribing to events with chosen delivery semantics and a dead-letter topic.

The offset is committed only after the handler succeeded (FastStream's Kafka default
would commit first). An event of a type or version this group has no handler for is
skipped and counted, so producers can add kinds and versions on a shared topic. A
message that cannot be read, or whose handler keeps failing, is parked on the group's
dead-letter topic with the reason, and consumption goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas.envelope import Envelope
from schemas.events import EVENT_KINDS, EventKind, UnreadableEvent, open_event, read_meta
from schemas.topics import Topic, dead_letter_topic
from services.common.settings import RuntimeSettings

log = logging.getLogger(__name__)


def _single_record(message: KafkaMessage) -> ConsumerRecord[bytes, bytes]:
    """These subscribers are not batch subscribers: one message is one record."""
    record = message.raw_message
    assert not isinstance(record, tuple), "batch subscribers are not used here"
    return record


EventHandler = Callable[[Envelope[Any]], Awaitable[None]]


@dataclass
class ConsumerStats:
    """What one consumer group did with the messages it read, for health and tests."""

    handled: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    dead_lettered: int = 0


def _handler_table(
    handlers: Mapping[EventKind[Any], EventHandler],
) -> dict[tuple[str, int], tuple[EventKind[Any], EventHandler]]:
    for kind in handlers:
        if EVENT_KINDS.get((kind.type, kind.version)) is not kind:
            raise ValueError(f"{kind.type} v{kind.version} is not in schemas.events.EVENT_KINDS")
    return {(kind.type, kind.version): (kind, handler) for kind, handler in handlers.items()}


def subscribe_events(
    broker: KafkaBroker,
    *,
    topics: Sequence[Topic],
    group: str,
    handlers: Mapping[EventKind[Any], EventHandler],
    settings: RuntimeSettings,
    description: str = "",
) -> ConsumerStats:
    """Route each (type, version) on `topics` to its handler; others are skipped and counted.

    `settings` gives the attempts before a message is parked and the group's timing.
    """
    max_attempts = settings.consumer_max_attempts
    table = _handler_table(handlers)
    stats = ConsumerStats()
    dead_letters = broker.publisher(
        dead_letter_topic(group).name,
        title=f"{dead_letter_topic(group).name}:dead-letter",
        description=dead_letter_topic(group).description,
    )
    failures: dict[tuple[str, int, int], int] = {}

    async def park(record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        stats.dead_lettered += 1
        log.error(
            "dead-lettering %s[%s]@%s: %s", record.topic, record.partition, record.offset, reason
        )
        await dead_letters.publish(
            record.value,
            key=record.key,
            headers={
                "x-dead-letter-reason": reason[:2000],
                "x-original-topic": record.topic,
                "x-original-partition": str(record.partition),
                "x-original-offset": str(record.offset),
                "x-consumer-group": group,
            },
        )

    @broker.subscriber(
        *[topic.name for topic in topics],
        group_id=group,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
        title=f"{group}:{'+'.join(t.name for t in topics)}",
        description=description
        or f"Events consumed by {group}: {', '.join(f'{t} v{v}' for t, v in table)}",
    )
    async def consume(message: KafkaMessage) -> None:
        record = _single_record(message)
        position = (record.topic, record.partition, record.offset)
        try:
            meta = read_meta(record.value)
        except UnreadableEvent as error:
            await park(record, str(error))
            return
        entry = table.get((meta.type, meta.version))
        if entry is None:
            stats.skipped[f"{meta.type} v{meta.version}"] += 1
            log.debug("%s skips %s v%s (no handler)", group, meta.type, meta.version)
            return
        kind, handler = entry
        try:
            envelope = open_event(meta, kind)
        except UnreadableEvent as error:
            await park(record, str(error))
            return
        try:
            await handler(envelope)
        except Exception as error:
            attempt = failures.get(position, 0) + 1
            if attempt >= max_attempts:
                failures.pop(position, None)
                await park(record, f"handler failed {attempt} times: {error!r}")
                return
            failures[position] = attempt
            log.warning("handler for %s failed (attempt %d): %r", envelope.type, attempt, error)
            await asyncio.sleep(min(0.2 * 2**attempt, 5.0))
            raise
        failures.pop(position, None)
        stats.handled[f"{meta.type} v{meta.version}"] += 1

    return stats
