"""The contracts' stops and talking points into the notifier's views, its deliveries into events.

One mapping per shape: stop fields are matched by name, so the scheduler's snapshot and the
briefing's snapshot go through the same function.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from schemas.briefing import BriefedStop, BriefingReady, TalkingPoint
from schemas.notifier import NoticeFailed, NoticePurpose, NoticeSent
from schemas.scheduler import StopChange, StopSnapshot
from schemas.vocabulary import StopChangeKind
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose
from services.notifier.domain.stops import StopView, TalkingPointView

_VIEW_FIELDS = {f.name for f in fields(StopView)} - {
    "change",
    "previous_starts_at",
    "previous_ends_at",
    "cancellation_reason",
}


def stop_view(
    stop: StopSnapshot | BriefedStop,
    change: StopChangeKind,
    previous: StopSnapshot | BriefedStop | None = None,
    cancellation_reason: str | None = None,
) -> StopView:
    cancelled = change == StopChangeKind.CANCELLED
    return StopView(
        change=change,
        previous_starts_at=previous.starts_at if previous else None,
        previous_ends_at=previous.ends_at if previous else None,
        cancellation_reason=cancellation_reason if cancelled else None,
        **stop.model_dump(include=_VIEW_FIELDS),
    )


def _views(
    change: StopChangeKind,
    stop: StopSnapshot | BriefedStop,
    previous: StopSnapshot | BriefedStop | None,
    cancellation_reason: str | None = None,
) -> tuple[StopView, StopView | None]:
    now = stop_view(stop, change, previous, cancellation_reason)
    before = stop_view(previous, StopChangeKind.SCHEDULED) if previous else None
    return now, before


def change_views(change: StopChange) -> tuple[StopView, StopView | None]:
    """The stop now, and as previously confirmed (for whoever was told of it before)."""
    return _views(change.change, change.stop, change.previous, change.reason)


def briefed_views(event: BriefingReady) -> tuple[StopView, StopView | None]:
    """The same from the briefing's own snapshot."""
    return _views(event.change, event.stop, event.previous, event.cancellation_reason)


def talking_point_view(point: TalkingPoint) -> TalkingPointView:
    citation = None
    if point.citation is not None:
        c = point.citation
        citation = f"{c.document_title}, {c.section}"
    return TalkingPointView(heading=point.heading, text=point.text, citation=citation)


def notice_sent(delivery: Delivery) -> NoticeSent:
    assert delivery.sent_at is not None, "only a sent delivery is announced as sent"
    return NoticeSent(
        **_notice_ids(delivery),
        change=delivery.change,
        subject=delivery.subject,
        sent_at=delivery.sent_at,
    )


def notice_failed(delivery: Delivery) -> NoticeFailed:
    return NoticeFailed(
        **_notice_ids(delivery),
        attempts=delivery.attempts,
        error=delivery.last_error or "",
        final=delivery.final,
        next_attempt_at=None if delivery.final else delivery.next_attempt_at,
    )


def _notice_ids(delivery: Delivery) -> dict[str, Any]:
    """What every notice event says of its delivery: which notice, stop version, member."""
    return {
        "notice_id": delivery.id,
        "stop_id": delivery.stop_id,
        "stop_version": delivery.stop_version,
        "recipient_id": delivery.member_id,
        # a withdrawal is a notice on the wire: the contract's purposes are notice,
        # reminder and follow-up, and its CANCEL is told by `change` and the mail itself
        "purpose": NoticePurpose.NOTICE
        if delivery.purpose is DeliveryPurpose.WITHDRAWAL
        else NoticePurpose(delivery.purpose.value),
    }
