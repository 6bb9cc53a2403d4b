"""The notifier's use cases: keep feeds current, queue notices, serve feeds, load the roster."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
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
from services.notifier.domain.deliveries import (
    DEFAULT_BACKOFF,
    Backoff,
    Cause,
    Delivery,
    SendOutcome,
)
from services.notifier.domain.feeds import STAFF
from services.notifier.domain.notices import Letterhead
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.reminders import ReminderPolicy
from services.notifier.domain.rules import RuleSet
from services.notifier.feed_handlers import PUBLIC, serve_feed
from services.notifier.ports import NotifierUnitOfWork
from services.notifier.recipient_handlers import DEFAULT_REMINDERS, queue_stop_notices

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
            uow.repo.save_stop_if_newer(stop, envelope.occurred_at)
        uow.remember(envelope)
        uow.commit()


def when_briefing_ready_queue_notices(
    uow: NotifierUnitOfWork,
    envelope: Envelope[Any],
    *,
    organizer_email: str,
    now: datetime,
    rules: RuleSet | None = None,
    letterhead: Letterhead | None = None,
    reminders: ReminderPolicy = DEFAULT_REMINDERS,
) -> int:
    """Queue the notices the recipient rules call for (decisions stored, unsent notices of
    older versions superseded, each at its lead time); never twice for the same version.

    Each delivery keeps the briefing.ready's correlation id and event id for its notices.
    """
    event: BriefingReady = envelope.payload
    stop, previous = briefed_views(event)
    points = [talking_point_view(p) for p in event.talking_points]
    cause = Cause(envelope.correlation_id, envelope.id, uow.office_id)
    with uow:
        if uow.already_handled(envelope.id):
            return 0
        uow.repo.save_stop_if_newer(stop, envelope.occurred_at)
        queued = queue_stop_notices(
            uow.repo,
            stop,
            previous,
            points,
            cause,
            organizer_email=organizer_email,
            rules=rules or RuleSet(),
            now=now,
            letterhead=letterhead,
            reminders=reminders,
        )
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
    return serve_feed(uow, PUBLIC, None, now).body


def internal_feed(uow: NotifierUnitOfWork, token: str, now: datetime) -> bytes:
    return serve_feed(uow, STAFF, token, now).body


def member_feed(uow: NotifierUnitOfWork, member_id: str, token: str, now: datetime) -> bytes:
    return serve_feed(uow, member_id, token, now).body


def list_members(uow: NotifierUnitOfWork) -> list[CouncilMember]:
    with uow:
        return uow.repo.roster()


def recent_notices(uow: NotifierUnitOfWork, limit: int = 200) -> list[Delivery]:
    with uow:
        return uow.repo.recent_deliveries(limit)


def due_notices(uow: NotifierUnitOfWork, now: datetime, limit: int = 50) -> list[Delivery]:
    with uow:
        return uow.repo.due_deliveries(now, limit)


def claim_due_notices(
    uow: NotifierUnitOfWork, claimant: str, now: datetime, *, lease: timedelta, limit: int = 100
) -> list[Delivery]:
    """Claim due notices for one dispatcher until now + lease; nobody else sends them meanwhile."""
    with uow:
        claimed = uow.repo.claim_due(claimant, now, lease, limit)
        uow.commit()
    return claimed


def record_outcomes(
    uow: NotifierUnitOfWork,
    outcomes: Sequence[SendOutcome],
    *,
    max_attempts: int,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> int:
    """Record many attempts in one transaction, each announced once (`notice.sent` or
    `notice.failed`); a delivery no longer pending is left alone. Returns how many were sent."""
    sent = 0
    with uow:
        found = {d.id: d for d in uow.repo.deliveries_to_record([o.delivery_id for o in outcomes])}
        changed: list[Delivery] = []
        for outcome in outcomes:
            delivery = found.get(outcome.delivery_id)
            if delivery is None:
                continue
            if outcome.error is None:
                if not delivery.mark_sent(outcome.at):
                    continue
                changed.append(delivery)
                _announce(uow, NOTICE_SENT, notice_sent(delivery), delivery, outcome.at)
                sent += 1
                continue
            if not delivery.record_failure(
                outcome.error,
                outcome.at,
                max_attempts=max_attempts,
                permanent=outcome.permanent,
                backoff=backoff,
            ):
                continue
            changed.append(delivery)
            _announce(uow, NOTICE_FAILED, notice_failed(delivery), delivery, outcome.at)
        uow.repo.save_deliveries(changed)
        uow.commit()
    return sent


def record_notice_sent(uow: NotifierUnitOfWork, delivery_id: str, *, now: datetime) -> None:
    """Mark it sent and announce `notice.sent`, once."""
    record_outcomes(uow, [SendOutcome(delivery_id, now)], max_attempts=1)


def record_notice_failed(
    uow: NotifierUnitOfWork, delivery_id: str, error: str, *, now: datetime, max_attempts: int
) -> None:
    """Retry later with exponential backoff; give up (status failed) after max_attempts."""
    record_outcomes(uow, [SendOutcome(delivery_id, now, error)], max_attempts=max_attempts)


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
