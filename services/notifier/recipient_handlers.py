"""Use cases of who is told and how: queue a stop version's notices by the rules, operator
add/exclude, "why was I notified?", and members' preferences."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from services.common.errors import InvalidInput, NotFound
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.decisions import (
    Decision,
    NoticePlan,
    Override,
    OverrideAction,
    PlannedNotice,
    as_advance,
    plan_notices,
    standing,
)
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.feeds import feed_links
from services.notifier.domain.follow_ups import FollowUp
from services.notifier.domain.lead_times import Timing, deliver_at, digest_slot
from services.notifier.domain.notices import (
    Letterhead,
    NoticeContext,
    NoticeKind,
    ToldRoles,
    compose_notice,
)
from services.notifier.domain.preferences import Preferences
from services.notifier.domain.recipients import CouncilMember, Recipient
from services.notifier.domain.reminders import ReminderPolicy, reminder_at
from services.notifier.domain.rules import RuleSet, district_head_member
from services.notifier.domain.stops import StopView, TalkingPointView
from services.notifier.ports import NotifierRepository, NotifierUnitOfWork

MAX_REASON_LENGTH = 500
DEFAULT_REMINDERS = ReminderPolicy()


def queue_stop_notices(
    repo: NotifierRepository,
    stop: StopView,
    previous: StopView | None,
    points: Sequence[TalkingPointView],
    cause: Cause,
    *,
    organizer_email: str,
    rules: RuleSet,
    now: datetime,
    letterhead: Letterhead | None = None,
    reminders: ReminderPolicy = DEFAULT_REMINDERS,
) -> int:
    """Inside an open unit of work: plan this stop version's notices, supersede stale ones
    (with their reminders), queue the new ones at their time, a day-before reminder beside
    each for members who chose one, and store every decision. A member the stop no longer
    concerns is sent a removal (no reminder) and leaves the stop's audience: their feed shows
    it cancelled, as does an excluded member's (with or without a withdrawal to send).
    Returns how many notices were queued (reminders not counted)."""
    history = repo.deliveries_for_stop(stop.stop_id)
    overrides = repo.overrides_for_stop(stop.stop_id)
    plan = plan_notices(stop, previous, repo.roster(), rules, overrides, history, now)
    if plan.stale:
        return 0
    preferences = repo.preferences_for([n.member.id for n in plan.notices])
    reusable = {
        _key(d): d.id
        for d in history
        if d.stop_version == stop.version
        and (
            d.status is DeliveryStatus.SUPERSEDED
            # refused for good, and the operator excludes the member again: try once more
            or (d.status is DeliveryStatus.FAILED and d.purpose is DeliveryPurpose.WITHDRAWAL)
        )
    }
    queued: dict[str, str] = {}
    new: list[Delivery] = []
    told = ToldRoles([n.recipient for n in plan.notices if not n.removal])
    for planned in plan.notices:
        context = _context(repo, planned, told, letterhead or Letterhead(), now)
        delivery = _delivery(planned, points, cause, organizer_email, preferences, context, now)
        _add(repo, delivery, reusable, new)
        queued[planned.member.id] = delivery.id
        if planned.removal:
            continue
        at = reminder_at(
            reminders, stop, preferences.get(planned.member.id), delivery.next_attempt_at, now
        )
        if at is not None:
            reminder = _reminder(planned, cause, organizer_email, context, at, now)
            _add(repo, reminder, reusable, new)
    repo.add_deliveries(new)
    _supersede(repo, plan, queued)
    repo.record_decisions(
        replace(d, delivery_id=queued.get(d.member_id)) if d.included else d for d in plan.decisions
    )
    removed = [n.member.id for n in plan.notices if n.removal] + plan.withdrawn
    repo.add_audience(stop.stop_id, [m for m in [*queued, *plan.restored] if m not in removed])
    repo.withdraw_audience(stop.stop_id, removed)
    return len(queued)


ReuseKey = tuple[str, DeliveryPurpose, int]


def _key(delivery: Delivery) -> ReuseKey:
    """A delivery's unique key within its stop version (follow-ups are never reused)."""
    return delivery.member_id, delivery.purpose, delivery.round


def _add(
    repo: NotifierRepository,
    delivery: Delivery,
    reusable: dict[ReuseKey, str],
    new: list[Delivery],
) -> None:
    """Reuse the row of the same version, purpose and round that never reached the member
    (superseded when they were excluded and added again, or a withdrawal that failed for
    good): one row per key. Else keep it for the one INSERT of all new rows."""
    reused = reusable.get(_key(delivery))
    if reused is not None:
        delivery.id = reused
        repo.save_delivery(delivery)
    else:
        new.append(delivery)


def _reminder(
    planned: PlannedNotice,
    cause: Cause,
    organizer_email: str,
    context: NoticeContext,
    at: datetime,
    now: datetime,
) -> Delivery:
    """The day-before reminder beside a notice: the stop as it now stands, the same
    invitation (UID, SEQUENCE), due at `at`."""
    view = as_advance(planned.view)
    notice = compose_notice(
        view,
        planned.recipient,
        (),
        organizer_email,
        now,
        context=replace(context, cancellation_reason=None),
        kind=NoticeKind.REMINDER,
    )
    reminder = Delivery.queue(view, notice, cause, now)
    reminder.purpose = DeliveryPurpose.REMINDER
    reminder.round = planned.round  # beside that invitation
    reminder.next_attempt_at = at
    reminder.reason = "안내 사유: 전날 알림을 신청하셨습니다. " + " ".join(planned.explanations)
    return reminder


def _delivery(
    planned: PlannedNotice,
    points: Sequence[TalkingPointView],
    cause: Cause,
    organizer_email: str,
    preferences: dict[str, Preferences],
    context: NoticeContext,
    now: datetime,
) -> Delivery:
    notice = compose_notice(
        planned.view,
        planned.recipient,
        points,
        organizer_email,
        now,
        context=context,
        kind=_kind(planned),
    )
    delivery = Delivery.queue(planned.view, notice, cause, now)
    delivery.purpose = planned.purpose
    delivery.round = planned.round
    member_preferences = preferences.get(planned.member.id)
    delivery.next_attempt_at = deliver_at(planned.timing, member_preferences)
    delivery.digest_at = digest_slot(planned.timing, member_preferences)
    delivery.reason = planned.reason
    delivery.short_notice = planned.timing.short_notice
    delivery.urgent = planned.timing.urgent
    delivery.replaces = planned.replaces
    delivery.changes = planned.changes
    return delivery


def _kind(planned: PlannedNotice) -> NoticeKind | None:
    """Removals and withdrawals cancel the member's invitation; the rest follow the change."""
    if planned.purpose is DeliveryPurpose.WITHDRAWAL:
        return NoticeKind.WITHDRAWAL
    return NoticeKind.REMOVAL if planned.removal else None


def _context(
    repo: NotifierRepository,
    planned: PlannedNotice,
    told: ToldRoles,
    letterhead: Letterhead,
    now: datetime,
) -> NoticeContext:
    """Who else was told (by role), the contact, the member's own feed links, what changed
    since their earlier notice and, for a cancellation, why it was cancelled."""
    member_id = planned.member.id
    view = planned.view
    return NoticeContext(
        told_roles=told.besides(member_id),
        contact=letterhead.contact,
        feed_links=member_feed_links(repo, letterhead, member_id, now),
        cancellation_reason=view.cancellation_reason if view.cancelled else None,
        changes=planned.changes if planned.changes and not view.cancelled else None,
    )


def _told_about(
    repo: NotifierRepository, stop: StopView, roster: dict[str, CouncilMember]
) -> ToldRoles:
    """Who holds an invitation to the stop as it stands (sent or on its way)."""
    history = repo.deliveries_for_stop(stop.stop_id)
    members = {d.member_id for d in history}
    holders = {m for m in members if _invitation_at(history, m, stop.version) is not None}
    return ToldRoles([Recipient(roster[m], ()) for m in sorted(holders) if m in roster])


def _invitation_at(history: Sequence[Delivery], member_id: str, version: int) -> Delivery | None:
    """The member's invitation to this stop version (sent or on its way): their latest notice
    of it, unless a withdrawal or removal followed or it was given up."""
    latest = standing(history, member_id, version)
    if (
        latest is None
        or latest.purpose is not DeliveryPurpose.NOTICE
        or latest.status not in (DeliveryStatus.PENDING, DeliveryStatus.SENT)
        or latest.notice.ics_method is not IcsMethod.REQUEST
    ):
        return None
    return latest


def member_feed_links(
    repo: NotifierRepository, letterhead: Letterhead, member_id: str, now: datetime
) -> tuple[str, ...]:
    """The member's own feed, as https and webcal links, when the office serves feeds."""
    if not letterhead.feed_base_url:
        return ()
    return feed_links(letterhead.feed_base_url, member_id, repo.feed_token(member_id, now))


def _supersede(repo: NotifierRepository, plan: NoticePlan, queued: dict[str, str]) -> None:
    for delivery_id in plan.superseded:
        delivery = repo.get_delivery(delivery_id)
        if delivery is not None and delivery.supersede(queued.get(delivery.member_id)):
            repo.save_delivery(delivery)


@dataclass(frozen=True)
class OverrideResult:
    override: Override
    queued: int
    decisions: list[Decision]


def override_recipient(
    uow: NotifierUnitOfWork,
    stop_id: str,
    member_id: str,
    action: OverrideAction,
    reason: str,
    *,
    organizer_email: str,
    rules: RuleSet,
    now: datetime,
    reminders: ReminderPolicy = DEFAULT_REMINDERS,
) -> OverrideResult:
    """An operator adds or excludes one member for one stop; the stop's notices follow at once
    (an added member is queued a notice, an excluded one's unsent notice is superseded; one
    told is sent a withdrawal, and added back after it went out, invited again)."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "추가·제외 사유를 입력해야 합니다")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput("reason", f"{MAX_REASON_LENGTH}자 이하여야 합니다")
    with uow:
        stop = uow.repo.get_stop(stop_id)
        if stop is None:
            raise NotFound("일정", stop_id)
        if person(uow.repo, member_id, rules) is None:
            raise NotFound("시의원", member_id)
        override = Override(stop_id, member_id, action, reason, now)
        uow.repo.save_override(override)
        cause = Cause(f"override-{stop_id}", None, uow.office_id)
        queued = queue_stop_notices(
            uow.repo,
            stop,
            None,
            [],
            cause,
            organizer_email=organizer_email,
            rules=rules,
            now=now,
            reminders=reminders,
        )
        decisions = uow.repo.decisions_for(stop_id, stop.version, member_id)
        uow.commit()
    return OverrideResult(override, queued, decisions)


def person(repo: NotifierRepository, member_id: str, rules: RuleSet) -> CouncilMember | None:
    """A council member of the roster, or a configured district head, by id."""
    member = repo.get_member(member_id)
    if member is not None:
        return member
    heads = (district_head_member(d, c) for d, c in rules.district_heads.items())
    return next((h for h in heads if h.id == member_id), None)


@dataclass(frozen=True)
class Why:
    """A notice and the stored decisions that sent it; for a follow-up, also its mark."""

    delivery: Delivery
    decisions: list[Decision]
    follow_up: FollowUp | None = None


def why_notified(uow: NotifierUnitOfWork, delivery_id: str) -> Why:
    """ "Why was I notified?", answered from the decisions stored when the notice was queued."""
    with uow:
        delivery = uow.repo.get_delivery(delivery_id)
        if delivery is None:
            raise NotFound("안내", delivery_id)
        decisions = uow.repo.decisions_for(
            delivery.stop_id, delivery.stop_version, delivery.member_id
        )
        follow_up = None
        if delivery.purpose is DeliveryPurpose.FOLLOW_UP:
            follow_up = uow.repo.get_follow_up(delivery.stop_id, delivery.follow_up_no)
    return Why(delivery, decisions, follow_up)


def get_notice(uow: NotifierUnitOfWork, delivery_id: str) -> Delivery:
    with uow:
        delivery = uow.repo.get_delivery(delivery_id)
    if delivery is None:
        raise NotFound("안내", delivery_id)
    return delivery


def member_decisions(uow: NotifierUnitOfWork, member_id: str, limit: int = 200) -> list[Decision]:
    """Every decision about a member, newest first (also for those never told)."""
    with uow:
        decisions = uow.repo.decisions_for_member(member_id, limit)
        if not decisions and uow.repo.get_member(member_id) is None:
            raise NotFound("시의원", member_id)
    return decisions


def member_preferences(uow: NotifierUnitOfWork, member_id: str) -> Preferences:
    """The member's preferences, or the defaults (e-mail, at once) if never set."""
    with uow:
        if uow.repo.get_member(member_id) is None:
            raise NotFound("시의원", member_id)
        return uow.repo.get_preferences(member_id) or Preferences(member_id)


def update_preferences(
    uow: NotifierUnitOfWork,
    preferences: Preferences,
    now: datetime,
    *,
    rotate_secret: bool = False,
    organizer_email: str = "",
    letterhead: Letterhead | None = None,
    reminders: ReminderPolicy = DEFAULT_REMINDERS,
) -> Preferences:
    """Store a member's preferences; a webhook keeps its secret unless rotated (or new).

    Turning the day-before reminder on queues one beside each invitation the member holds of
    a stop still ahead; turning it off drops those not yet sent: a member who said no gets
    none."""
    with uow:
        member = uow.repo.get_member(preferences.member_id)
        if member is None:
            raise NotFound("시의원", preferences.member_id)
        known = uow.repo.get_preferences(preferences.member_id)
        if known and known.webhook_secret and not rotate_secret:
            preferences = replace(preferences, webhook_secret=known.webhook_secret)
        elif rotate_secret:
            preferences = replace(preferences, webhook_secret=None)
        preferences = preferences.validated()
        uow.repo.save_preferences(preferences, now)
        if known and known.day_before_reminder and not preferences.day_before_reminder:
            _drop_pending_reminders(uow.repo, preferences.member_id)
        if preferences.day_before_reminder and not (known and known.day_before_reminder):
            _queue_missing_reminders(
                uow.repo,
                member,
                preferences,
                reminders,
                organizer_email,
                letterhead or Letterhead(),
                now,
            )
        uow.commit()
    return preferences


def _queue_missing_reminders(
    repo: NotifierRepository,
    member: CouncilMember,
    preferences: Preferences,
    policy: ReminderPolicy,
    organizer_email: str,
    letterhead: Letterhead,
    now: datetime,
) -> None:
    """A reminder beside each current notice the member holds (sent or on its way) of a stop
    still ahead, at the moment it would have been queued with; the notice's reasons carry
    over, and so does who else was told (those holding the stop's current invitation)."""
    new: list[Delivery] = []
    roster = {m.id: m for m in repo.roster()}
    for stop, theirs in _member_deliveries_by_stop(repo, member.id):
        current = [d for d in theirs if d.stop_version == stop.version]
        notice = _invitation_at(current, member.id, stop.version)  # the latest round's
        if notice is None:
            continue
        reminded = any(
            d.purpose is DeliveryPurpose.REMINDER
            and d.round == notice.round
            and d.status in (DeliveryStatus.PENDING, DeliveryStatus.SENT)
            for d in current
        )
        if reminded:
            continue
        at = reminder_at(policy, stop, preferences, notice.next_attempt_at, now)
        if at is None:
            continue
        reasons = tuple(
            d.explanation
            for d in repo.decisions_for(stop.stop_id, stop.version, member.id)
            if d.included
        )
        planned = PlannedNotice(member, stop, (), reasons, Timing(now), round=notice.round)
        context = _context(repo, planned, _told_about(repo, stop, roster), letterhead, now)
        reminder = _reminder(planned, notice.cause, organizer_email, context, at, now)
        reusable = {
            _key(d): d.id for d in current if d.status is DeliveryStatus.SUPERSEDED
        }  # turned off and on again: its row is reused
        _add(repo, reminder, reusable, new)
    repo.add_deliveries(new)


def _drop_pending_reminders(repo: NotifierRepository, member_id: str) -> None:
    for _, theirs in _member_deliveries_by_stop(repo, member_id):
        for delivery in theirs:
            if delivery.purpose is DeliveryPurpose.REMINDER and delivery.supersede(None):
                repo.save_delivery(delivery)


def _member_deliveries_by_stop(
    repo: NotifierRepository, member_id: str
) -> Iterator[tuple[StopView, list[Delivery]]]:
    """Each stop in the member's audience, with the member's deliveries of it."""
    for stop in repo.stops_for_member(member_id):
        yield stop, [d for d in repo.deliveries_for_stop(stop.stop_id) if d.member_id == member_id]


def all_preferences(uow: NotifierUnitOfWork) -> dict[str, Preferences]:
    """Every stored preference (for the channel router's snapshot)."""
    with uow:
        return uow.repo.all_preferences()
