"""The notifier's use cases: keep feeds current, queue notices, serve feeds, load the roster."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import NOTICE_FAILED, NOTICE_SENT
from schemas.notifier import NoticeFailed, NoticeSent
from schemas.scheduler import ItineraryConfirmed
from services.common.errors import NotFound
from services.notifier.adapters.events import change_views, talking_point_view
from services.notifier.adapters.orm import DeliveryRow
from services.notifier.adapters.repository import STAFF
from services.notifier.domain.calendar import render_feed
from services.notifier.domain.notices import compose_notice
from services.notifier.domain.recipients import CouncilMember, recipients_for_change
from services.notifier.unit_of_work import NotifierUnitOfWork

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
    """Queue one notice per member who must be told; never twice for the same version."""
    event: BriefingReady = envelope.payload
    stop, previous = change_views(event.stop_change)
    points = [talking_point_view(p) for p in event.talking_points]
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
            uow.repo.add_delivery(
                DeliveryRow(
                    id=f"nt-{uuid.uuid4().hex[:16]}",
                    stop_id=stop.stop_id,
                    stop_version=stop.version,
                    member_id=recipient.member.id,
                    change=stop.change,
                    to_address=notice.to_address,
                    subject=notice.subject,
                    text_body=notice.text_body,
                    html_body=notice.html_body,
                    ics=notice.ics.decode("utf-8"),
                    ics_method=notice.ics_method,
                    status="pending",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
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
    return render_feed("서울시장 공개 일정", stops, "public", now)


def internal_feed(uow: NotifierUnitOfWork, token: str, now: datetime) -> bytes:
    with uow:
        if uow.repo.token_owner(token) != STAFF:
            raise NotFound("피드", "mayor")
        stops = uow.repo.stops()
    return render_feed("서울시장 일정 (내부)", stops, "internal", now)


def member_feed(uow: NotifierUnitOfWork, member_id: str, token: str, now: datetime) -> bytes:
    with uow:
        member = uow.repo.get_member(member_id)
        if member is None or uow.repo.token_owner(token) != member_id:
            raise NotFound("피드", member_id)
        stops = uow.repo.stops_for_member(member_id)
    return render_feed(f"시장 일정 사전안내 — {member.name} 의원", stops, "member", now)


def list_members(uow: NotifierUnitOfWork) -> list[CouncilMember]:
    with uow:
        return uow.repo.roster()


def recent_notices(uow: NotifierUnitOfWork, limit: int = 200) -> list[DeliveryRow]:
    with uow:
        return uow.repo.recent_deliveries(limit)


def due_notices(uow: NotifierUnitOfWork, now: datetime, limit: int = 50) -> list[DeliveryRow]:
    with uow:
        return uow.repo.due_deliveries(now, limit)


def record_notice_sent(uow: NotifierUnitOfWork, delivery_id: str, *, now: datetime) -> None:
    with uow:
        row = uow.repo.get_delivery(delivery_id)
        if row is None or row.status == "sent":
            return
        row.status, row.sent_at, row.attempts = "sent", now, row.attempts + 1
        uow.session.add(row)
        payload = NoticeSent(
            notice_id=row.id,
            stop_id=row.stop_id,
            stop_version=row.stop_version,
            change=row.change,
            recipient_id=row.member_id,
            subject=row.subject,
            sent_at=now,
        )
        uow.publish(
            NOTICE_SENT,
            NOTICE_SENT.envelope(payload, producer=PRODUCER, correlation_id=row.stop_id),
        )
        uow.commit()


def record_notice_failed(
    uow: NotifierUnitOfWork, delivery_id: str, error: str, *, now: datetime, max_attempts: int
) -> None:
    """Retry later with exponential backoff; give up (status failed) after max_attempts."""
    with uow:
        row = uow.repo.get_delivery(delivery_id)
        if row is None or row.status != "pending":
            return
        row.attempts += 1
        row.last_error = error[:1000]
        row.next_attempt_at = now + timedelta(seconds=min(2**row.attempts, 600))
        if row.attempts >= max_attempts:
            row.status = "failed"
        uow.session.add(row)
        payload = NoticeFailed(
            notice_id=row.id,
            stop_id=row.stop_id,
            stop_version=row.stop_version,
            recipient_id=row.member_id,
            attempts=row.attempts,
            error=row.last_error,
        )
        uow.publish(
            NOTICE_FAILED,
            NOTICE_FAILED.envelope(payload, producer=PRODUCER, correlation_id=row.stop_id),
        )
        uow.commit()
