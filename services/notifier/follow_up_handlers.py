"""Use case: an operator marks progress after a press announcement; everyone who was told
of the announcement receives one follow-up per mark."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from services.common.errors import NotFound
from services.notifier.domain.decisions import as_advance
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryPurpose
from services.notifier.domain.follow_ups import (
    FOLLOW_UP_REASON,
    FollowUp,
    checked_progress,
    next_number,
    told_of,
)
from services.notifier.domain.lead_times import Timing, deliver_at, digest_slot
from services.notifier.domain.notices import (
    Letterhead,
    NoticeContext,
    NoticeKind,
    ToldRoles,
    compose_notice,
)
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.rules import RuleSet
from services.notifier.ports import NotifierUnitOfWork
from services.notifier.recipient_handlers import member_feed_links, person


@dataclass(frozen=True)
class FollowUpResult:
    follow_up: FollowUp
    notice_ids: list[str]


def mark_follow_up(
    uow: NotifierUnitOfWork,
    stop_id: str,
    progress: str,
    *,
    organizer_email: str,
    rules: RuleSet,
    now: datetime,
    letterhead: Letterhead | None = None,
) -> FollowUpResult:
    """Store the progress mark and queue a follow-up to each member told of the press stop
    (at once, or with their digest; quiet hours honoured). NotFound for an unknown stop,
    InvalidInput (422) for one that is not a press announcement, was cancelled or is ahead."""
    letterhead = letterhead or Letterhead()
    with uow:
        repo = uow.repo
        stop = repo.get_stop(stop_id)
        if stop is None:
            raise NotFound("일정", stop_id)
        progress = checked_progress(stop, progress, now)
        told = told_of(repo.deliveries_for_stop(stop_id), repo.overrides_for_stop(stop_id))
        members = [m for m in (person(repo, i, rules) for i in told) if m is not None]
        recipients = [Recipient(m, (FOLLOW_UP_REASON,)) for m in members]
        number = next_number(repo.follow_ups_for_stop(stop_id))
        follow_up = FollowUp(
            f"fu-{uuid.uuid4().hex[:16]}",
            stop_id,
            stop.version,
            number,
            progress,
            now,
            recipients=len(recipients),
        )
        repo.add_follow_up(follow_up)
        preferences = repo.preferences_for([m.id for m in members])
        view = as_advance(stop)
        cause = Cause(f"follow-up-{stop_id}-{number}", None, uow.office_id)
        timing = Timing(now)
        notice_ids: list[str] = []
        queued: list[Delivery] = []
        roles = ToldRoles(recipients)
        for recipient in recipients:
            member_id = recipient.member.id
            context = NoticeContext(
                told_roles=roles.besides(member_id),
                contact=letterhead.contact,
                feed_links=member_feed_links(repo, letterhead, member_id, now),
                progress=progress,
            )
            notice = compose_notice(
                view,
                recipient,
                (),
                organizer_email,
                now,
                context=context,
                kind=NoticeKind.FOLLOW_UP,
            )
            delivery = Delivery.queue(view, notice, cause, now)
            delivery.purpose = DeliveryPurpose.FOLLOW_UP
            delivery.follow_up_no = number
            delivery.reason = f"안내 사유: {FOLLOW_UP_REASON}"
            delivery.next_attempt_at = deliver_at(timing, preferences.get(member_id))
            delivery.digest_at = digest_slot(timing, preferences.get(member_id))
            queued.append(delivery)
            notice_ids.append(delivery.id)
        repo.add_deliveries(queued)
        uow.commit()
    return FollowUpResult(follow_up, notice_ids)


def follow_ups_of(uow: NotifierUnitOfWork, stop_id: str) -> list[FollowUp]:
    """Every progress mark of a stop, oldest first."""
    with uow:
        if uow.repo.get_stop(stop_id) is None:
            raise NotFound("일정", stop_id)
        return uow.repo.follow_ups_for_stop(stop_id)
