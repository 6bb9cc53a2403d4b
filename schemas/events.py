"""The catalogue of events: name, version, payload model, topic and key in one table."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError

from schemas.briefing import BriefingReady
from schemas.envelope import DEFAULT_OFFICE, Envelope, EventMeta
from schemas.member_requests import (
    MemberRequestAnswered,
    MemberRequestRecorded,
    MemberRequestUpdated,
)
from schemas.notifier import NoticeFailed, NoticeSent
from schemas.scheduler import ItineraryConfirmed
from schemas.topics import BRIEFINGS, ITINERARY, MEMBER_REQUESTS, NOTICES, Topic

P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True)
class EventKind(Generic[P]):
    """One (type, version) pair and everything needed to publish or read it.

    `key` gives the natural key (a stop id, a date) that orders related events;
    `partition_key` prefixes it with the office so that offices never share an order.
    """

    type: str
    version: int
    payload: builtins.type[P]
    topic: Topic
    key: Callable[[P], str]

    def envelope(
        self,
        payload: P,
        *,
        producer: str,
        correlation_id: str,
        causation_id: UUID | None = None,
        occurred_at: datetime | None = None,
        office_id: str = DEFAULT_OFFICE,
    ) -> Envelope[P]:
        """Wrap a payload of this kind in a fresh envelope."""
        return Envelope[self.payload](  # type: ignore[name-defined]
            type=self.type,
            version=self.version,
            office_id=office_id,
            producer=producer,
            correlation_id=correlation_id,
            causation_id=causation_id,
            occurred_at=occurred_at or datetime.now(UTC),
            payload=payload,
        )

    def partition_key(self, envelope: Envelope[P]) -> str:
        """`{office}/{natural key}`: per-stop (or per-day) order inside one office."""
        return f"{envelope.office_id}/{self.key(envelope.payload)}"


ITINERARY_CONFIRMED: EventKind[ItineraryConfirmed] = EventKind(
    "itinerary.confirmed", 1, ItineraryConfirmed, ITINERARY, lambda p: p.itinerary_date.isoformat()
)
BRIEFING_READY: EventKind[BriefingReady] = EventKind(
    "briefing.ready", 2, BriefingReady, BRIEFINGS, lambda p: p.stop.stop_id
)
NOTICE_SENT: EventKind[NoticeSent] = EventKind(
    "notice.sent", 1, NoticeSent, NOTICES, lambda p: p.stop_id
)
NOTICE_FAILED: EventKind[NoticeFailed] = EventKind(
    "notice.failed", 1, NoticeFailed, NOTICES, lambda p: p.stop_id
)
MEMBER_REQUEST_RECORDED: EventKind[MemberRequestRecorded] = EventKind(
    "member_request.recorded", 1, MemberRequestRecorded, MEMBER_REQUESTS, lambda p: p.request_id
)
MEMBER_REQUEST_UPDATED: EventKind[MemberRequestUpdated] = EventKind(
    "member_request.updated", 1, MemberRequestUpdated, MEMBER_REQUESTS, lambda p: p.request_id
)
MEMBER_REQUEST_ANSWERED: EventKind[MemberRequestAnswered] = EventKind(
    "member_request.answered", 1, MemberRequestAnswered, MEMBER_REQUESTS, lambda p: p.request_id
)

EVENT_KINDS: dict[tuple[str, int], EventKind[Any]] = {
    (kind.type, kind.version): kind
    for kind in (
        ITINERARY_CONFIRMED,
        BRIEFING_READY,
        NOTICE_SENT,
        NOTICE_FAILED,
        MEMBER_REQUEST_RECORDED,
        MEMBER_REQUEST_UPDATED,
        MEMBER_REQUEST_ANSWERED,
    )
}


class UnreadableEvent(ValueError):
    """The bytes are not an event this system can read (bad envelope or bad payload)."""


def read_meta(raw: bytes | str) -> EventMeta:
    """The envelope's metadata, without judging the payload; UnreadableEvent if not an event."""
    try:
        return EventMeta.model_validate_json(raw)
    except ValidationError as error:
        raise UnreadableEvent(f"invalid envelope: {_first_errors(error)}") from error


def open_event(meta: EventMeta, kind: EventKind[P]) -> Envelope[P]:
    """The typed envelope of an event already known to be of `kind`."""
    try:
        payload = kind.payload.model_validate(meta.payload)
    except ValidationError as error:
        raise UnreadableEvent(f"invalid {meta.type} payload: {_first_errors(error)}") from error
    fields = meta.model_dump(exclude={"payload"})
    return Envelope[kind.payload](**fields, payload=payload)  # type: ignore[name-defined]


def read_event(raw: bytes | str) -> Envelope[Any]:
    """Parse and validate an event of a kind in EVENT_KINDS, or raise UnreadableEvent."""
    meta = read_meta(raw)
    kind = EVENT_KINDS.get((meta.type, meta.version))
    if kind is None:
        raise UnreadableEvent(f"unknown event type {meta.type!r} version {meta.version}")
    return open_event(meta, kind)


def _first_errors(error: ValidationError, limit: int = 3) -> str:
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
        for e in error.errors()[:limit]
    ]
    return "; ".join(parts)
