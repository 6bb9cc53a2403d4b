"""The notifier's use cases: keep feeds current, queue notices, serve feeds, load the roster."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import NOTICE_FAILED, NOTICE_SENT, EventKind
from schemas.scheduler import ItineraryConfirmed
from services.common.errors import NotFound
from services.notifier.adapters.events import (
    briefed_views,
    change_views,
    notice_failed,
    notice_sent,
    talking_point_view,
)
from services.notifier.domain.calendar import Audience, render_feed
from services.notifier.domain.deliveries import Cause, Delivery
from services.notifier.domain.feeds import STAFF
from services.notifier.domain.notices import compose_notice
from services.notifier.domain.recipients import CouncilMember, recipients_for_change
from services.notifier.ports import NotifierUnitOfWork

P = TypeVar("P", bound=BaseModel)

PRODUCER = "notifier"


def when_itinerary_confirmed_update_feeds(uow: NotifierUnitOfWork, envelope: Envelope[Any]) -> None:
    """Feeds show the newest confirmed version of every stop, cancellations included."""
    event: ItineraryConfirmed = envelope.payload
    with uow:
        if uow.already_handled(envelope.id):
            return
        for change in event.changes:
            stop, _ = change_views(change)
            uow.repo.save_stop_if_newer(stop)
        uow.remember(envelope)
        uow.commit()


def when_briefing_ready_queue_notices(
    uow: NotifierUnitOfWork, envelope: Envelope[Any], *, organizer_email: str, now: datetime
) -> int:
    """Queue one notice per member who must be told; never twice for the same version.

    Each delivery keeps the briefing.ready's correlation id and event id for its notices.
    """
    event: BriefingReady = envelope.payload
    stop, previous = briefed_views(event)
    points = [talking_point_view(p) for p in event.talking_points]
    cause = Cause(envelope.correlation_id, envelope.id, uow.office_id)
    queued = 0
    with uow:
        if uow.already_handled(envelope.id):
            return 0
        uow.repo.save_stop_if_newer(stop)
        recipients = recipients_for_change(stop, previous, uow.repo.roster())
        uow.repo.add_audience(stop.stop_id, [r.member.id for r in recipients])
        for recipient in recipients:
            if uow.repo.delivery_exists(stop.stop_id, stop.version, recipient.member.id):
                continue
            notice = compose_notice(stop, recipient, points, organizer_email, now)
            uow.repo.add_delivery(Delivery.queue(stop, notice, cause, now))
            queued += 1
        uow.remember(envelope)
        uow.commit()
    return queued


def load_roster(uow: NotifierUnitOfWork, members: Sequence[CouncilMember], now: datetime) -> int:
    """Add or update council members and give each a private feed token."""
    with uow:
        for member in members:
            uow.repo.upsert_member(member)
            uow.repo.feed_token(member.id, now)
        uow.repo.feed_token(STAFF, now)
        uow.commit()
    return len(members)


def feed_token(uow: NotifierUnitOfWork, owner: str, now: datetime) -> str:
    """The secret token for `staff` or a member id (created if missing)."""
    with uow:
        if owner != STAFF and uow.repo.get_member(owner) is None:
            raise NotFound("시의원", owner)
        token = uow.repo.feed_token(owner, now)
        uow.commit()
    return token


def public_feed(uow: NotifierUnitOfWork, now: datetime) -> bytes:
    with uow:
        stops = uow.repo.stops()
    return render_feed("서울시장 공개 일정", stops, Audience.PUBLIC, now)


def internal_feed(uow: NotifierUnitOfWork, token: str, now: datetime) -> bytes:
    with uow:
        if uow.repo.token_owner(token) != STAFF:
            raise NotFound("피드", "mayor")
        stops = uow.repo.stops()
    return render_feed("서울시장 일정 (내부)", stops, Audience.INTERNAL, now)


def member_feed(uow: NotifierUnitOfWork, member_id: str, token: str, now: datetime) -> bytes:
    with uow:
        member = uow.repo.get_member(member_id)
        if member is None or uow.repo.token_owner(token) != member_id:
            raise NotFound("피드", member_id)
        stops = uow.repo.stops_for_member(member_id)
    return render_feed(f"시장 일정 사전안내 — {member.name} 의원", stops, Audience.MEMBER, now)


def list_members(uow: NotifierUnitOfWork) -> list[CouncilMember]:
    with uow:
        return uow.repo.roster()


def recent_notices(uow: NotifierUnitOfWork, limit: int = 200) -> list[Delivery]:
    with uow:
        return uow.repo.recent_deliveries(limit)


def due_notices(uow: NotifierUnitOfWork, now: datetime, limit: int = 50) -> list[Delivery]:
    with uow:
        return uow.repo.due_deliveries(now, limit)


def record_notice_sent(uow: NotifierUnitOfWork, delivery_id: str, *, now: datetime) -> None:
    """Mark it sent and announce `notice.sent`, once."""
    with uow:
        delivery = uow.repo.get_delivery(delivery_id)
        if delivery is None or not delivery.mark_sent(now):
            return
        uow.repo.save_delivery(delivery)
        _announce(uow, NOTICE_SENT, notice_sent(delivery), delivery, now)
        uow.commit()


def record_notice_failed(
    uow: NotifierUnitOfWork, delivery_id: str, error: str, *, now: datetime, max_attempts: int
) -> None:
    """Retry later with exponential backoff; give up (status failed) after max_attempts."""
    with uow:
        delivery = uow.repo.get_delivery(delivery_id)
        if delivery is None or not delivery.record_failure(error, now, max_attempts=max_attempts):
            return
        uow.repo.save_delivery(delivery)
        _announce(uow, NOTICE_FAILED, notice_failed(delivery), delivery, now)
        uow.commit()


def _announce(
    uow: NotifierUnitOfWork,
    kind: EventKind[P],
    payload: P,
    delivery: Delivery,
    now: datetime,
) -> None:
    """Stage a notice event in the chain of the briefing.ready that queued the delivery."""
    cause = delivery.cause
    uow.publish(
        kind,
        kind.envelope(
            payload,
            producer=PRODUCER,
            correlation_id=cause.correlation_id,
            causation_id=cause.event_id,
            occurred_at=now,
            office_id=cause.office_id,
        ),
    )
