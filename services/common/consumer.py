"""Subscribing to events with chosen delivery semantics and a dead-letter topic.

The offset is committed only after the handler succeeded (FastStream's Kafka default
would commit first). A message that cannot be read, or whose handler keeps failing,
is parked on the group's dead-letter topic with the reason, and consumption goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas.envelope import Envelope
from schemas.events import UnreadableEvent, read_event
from schemas.topics import Topic, dead_letter_topic

log = logging.getLogger(__name__)


def _single_record(message: KafkaMessage) -> ConsumerRecord[bytes, bytes]:
    """These subscribers are not batch subscribers: one message is one record."""
    record = message.raw_message
    assert not isinstance(record, tuple), "batch subscribers are not used here"
    return record


EventHandler = Callable[[Envelope[Any]], Awaitable[None]]


def subscribe_events(
    broker: KafkaBroker,
    *,
    topics: Sequence[Topic],
    group: str,
    handlers: Mapping[str, EventHandler],
    max_attempts: int = 5,
    description: str = "",
) -> None:
    """Route each event type on `topics` to its handler; unknown types are skipped."""
    dead_letters = broker.publisher(
        dead_letter_topic(group).name,
        title=f"{dead_letter_topic(group).name}:dead-letter",
        description=dead_letter_topic(group).description,
    )
    failures: dict[tuple[str, int, int], int] = {}

    async def park(record: ConsumerRecord[bytes, bytes], reason: str) -> None:
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
        title=f"{group}:{'+'.join(t.name for t in topics)}",
        description=description or f"Events consumed by {group}: {', '.join(handlers)}",
    )
    async def consume(message: KafkaMessage) -> None:
        record = _single_record(message)
        position = (record.topic, record.partition, record.offset)
        try:
            envelope = read_event(record.value)
        except UnreadableEvent as error:
            await park(record, str(error))
            return
        handler = handlers.get(envelope.type)
        if handler is None:
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
