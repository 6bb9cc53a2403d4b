"""Who gets which notice about one stop version, and the stored reason for each decision.

A pure planner: from the stop (and its previous snapshot), the roster, the rules, the
operator's per-stop overrides and the notices already queued for the stop, it decides
- who is told and by which rules (every match becomes a stored Decision);
- which notices not yet sent are replaced (superseded) rather than sent stale;
- for each person: an advance notice at the lead time if they were never told, an update
  or cancellation at once (referring to the earlier notice) if they were;
- whoever was told of an earlier version and is no longer in the audience (taken off the
  attendees, the stop moved out of their district) is sent a removal at once: their
  invitation cancelled, with why, instead of an update as if still expected. After that they
  count as not told: added again later, they are told as new.
- a member an operator excluded after they were told gets a withdrawal (their invitation
  cancelled); added back before it went out, it is dropped; added back after, they are
  invited again at once (the next `round` of the same version), as often as it goes back
  and forth. Each version's deliveries to a member are ordered by (round, notice before
  withdrawal): the latest one sent says whether they hold the invitation.
Only notices (purpose `notice`) count as telling; a day-before reminder goes stale with its
notice (superseded alongside it), a press follow-up stays what it was when marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.lead_times import Timing, advance_timing, change_timing
from services.notifier.domain.notices import long_when
from services.notifier.domain.recipients import CouncilMember, Recipient, committee_for
from services.notifier.domain.rules import (
    Match,
    RuleId,
    RuleSet,
    apply_rules,
    district_head_member,
)
from services.notifier.domain.stops import StopView


class OverrideAction(StrEnum):
    """An operator's choice for one member and one stop."""

    ADD = "add"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class Override:
    """An operator adds or excludes one member for one stop (all its versions), with a reason."""

    stop_id: str
    member_id: str
    action: OverrideAction
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class Decision:
    """One rule's verdict on one person for one stop version, as stored and shown."""

    stop_id: str
    stop_version: int
    member_id: str
    member_name: str
    rule: RuleId
    included: bool
    explanation: str
    decided_at: datetime
    delivery_id: str | None = None


@dataclass(frozen=True)
class PlannedNotice:
    """A notice to queue: what to tell this person, why, and when."""

    member: CouncilMember
    view: StopView
    rules: tuple[RuleId, ...]
    explanations: tuple[str, ...]
    timing: Timing
    replaces: str | None = None
    changes: str = ""
    removal: bool = False
    """The stop no longer concerns this member, who was told of it: cancel their invitation."""
    purpose: DeliveryPurpose = DeliveryPurpose.NOTICE  # WITHDRAWAL when an operator excluded
    round: int = 0  # the member's n-th invitation at this version (see Delivery.round)

    @property
    def recipient(self) -> Recipient:
        return Recipient(member=self.member, reasons=self.explanations)

    @property
    def reason(self) -> str:
        """One line for the e-mail footer: why this person received it."""
        return "안내 사유: " + " ".join(self.explanations)


@dataclass
class NoticePlan:
    notices: list[PlannedNotice] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # back in the audience: withdrawal dropped
    withdrawn: list[str] = field(default_factory=list)  # excluded, nothing to send: feed cancels
    stale: bool = False


def describe_changes(
    previous: StopView | None, stop: StopView, names: Mapping[str, str] | None = None
) -> str:
    """What changed, in Korean: ``일시: … → …; 참석 대상 추가: 홍길동 의원``; never empty.

    Attendees are named as the roster knows them (`names`: member id → name), others counted."""
    if stop.cancelled:
        return "일정이 취소되었습니다."
    if previous is None:
        return "일정 내용이 변경되었습니다(이전 안내와 비교할 정보가 없습니다)."
    parts: list[str] = []
    before = long_when(previous.starts_at, previous.ends_at)
    after = long_when(stop.starts_at, stop.ends_at)
    if before != after:
        parts.append(f"일시: {before} → {after}")
    if (previous.place_name, previous.district) != (stop.place_name, stop.district):
        parts.append(
            f"장소: {previous.place_name}({previous.district}) → {stop.place_name}({stop.district})"
        )
    if previous.title != stop.title:
        parts.append(f"일정명: {previous.title} → {stop.title}")
    if previous.purpose != stop.purpose:
        parts.append("목적·내용이 바뀌었습니다")
    if previous.category != stop.category:
        parts.append(f"분류: {previous.category_label} → {stop.category_label}")
    if previous.policy_area != stop.policy_area:
        parts.append(f"소관 분야: {_area(previous.policy_area)} → {_area(stop.policy_area)}")
    if previous.public != stop.public:
        parts.append(f"공개 여부: {_public(previous.public)} → {_public(stop.public)}")
    if previous.important != stop.important:
        parts.append(
            "중요 행사로 지정되었습니다" if stop.important else "중요 행사 지정이 해제되었습니다"
        )
    added = [m for m in stop.attendee_ids if m not in previous.attendee_ids]
    removed = [m for m in previous.attendee_ids if m not in stop.attendee_ids]
    if added:
        parts.append(f"참석 대상 추가: {_named_list(added, names or {})}")
    if removed:
        parts.append(f"참석 대상 제외: {_named_list(removed, names or {})}")
    if not parts:
        return "일정 세부 정보가 갱신되었습니다(일시·장소·참석 대상 등 안내 내용은 같습니다)."
    return "; ".join(parts)


def _area(policy_area: str | None) -> str:
    """A policy area by its standing committee (the code when none is known)."""
    if policy_area is None:
        return "지정 없음"
    return committee_for(policy_area) or policy_area


def _public(public: bool) -> str:
    return "공개" if public else "비공개"


def _named_list(member_ids: Sequence[str], names: Mapping[str, str]) -> str:
    """``홍길동·김철수 의원`` for the roster's members, ``명단 외 2명`` for the others."""
    known = [names[m] for m in member_ids if m in names]
    unknown = len(member_ids) - len(known)
    parts = [f"{'·'.join(known)} 의원"] if known else []
    if unknown:
        parts.append(f"명단 외 {unknown}명")
    return ", ".join(parts)


_REMOVED_FROM_RULE: dict[RuleId, str] = {
    RuleId.DISTRICT_MEMBERS: "지역구 현장 일정",
    RuleId.DISTRICT_HEAD: "자치구 현장 일정",
    RuleId.LEADERSHIP_IMPORTANT: "중요 행사 지도부 초청",
    RuleId.PRESS_COMMITTEE: "소관 상임위원회 사전설명",
    RuleId.PRESS_LEADERSHIP: "언론 발표 전 지도부 사전설명",
    RuleId.COUNCIL_MEETING: "간담회 참석",
    RuleId.STOP_ATTENDEES: "일정 참석",
}


def removal_reason(
    member: CouncilMember,
    previous: StopView | None,
    stop: StopView,
    earlier_rules: Sequence[RuleId],
) -> str:
    """Why a member told of the stop is no longer in its audience, in Korean: what took them
    off, judged from the rules that selected them for the previous snapshot."""
    causes: list[str] = []
    if previous is not None:
        for rule in earlier_rules:
            cause = _removal_cause(member, previous, stop, rule)
            if cause and cause not in causes:
                causes.append(cause)
    if not causes:
        causes.append("변경된 일정에서는 안내 기준에 해당하지 않게 되었습니다")
    return (
        "앞서 이 일정을 안내받으셨으나 "
        + ", ".join(causes)
        + ". 더 이상 의원님께 해당하지 않는 일정이어서 초대를 취소합니다."
    )


def _removal_cause(
    member: CouncilMember, previous: StopView, stop: StopView, rule: RuleId
) -> str | None:
    if rule in (RuleId.COUNCIL_MEETING, RuleId.STOP_ATTENDEES):
        if member.id in previous.attendee_ids and member.id not in stop.attendee_ids:
            return "참석 명단에서 제외되셨습니다"
        if previous.category != stop.category:
            return f"일정 분류가 바뀌었습니다({previous.category_label} → {stop.category_label})"
        if not previous.attendee_ids and stop.attendee_ids:
            return "간담회 참석 명단이 새로 지정되었는데 포함되지 않으셨습니다"
    if rule in (RuleId.DISTRICT_MEMBERS, RuleId.DISTRICT_HEAD):
        if previous.district != stop.district:
            return f"일정 장소의 자치구가 바뀌었습니다({previous.district} → {stop.district})"
        if previous.category != stop.category:
            return (
                f"현장 일정이 아니게 되었습니다({previous.category_label} → {stop.category_label})"
            )
    if rule is RuleId.LEADERSHIP_IMPORTANT and previous.important and not stop.important:
        return "중요 행사 지정이 해제되었습니다"
    if rule in (RuleId.PRESS_COMMITTEE, RuleId.PRESS_LEADERSHIP):
        if stop.category != "press":
            return "언론 발표 일정이 아니게 되었습니다"
        if previous.policy_area != stop.policy_area:
            return f"소관 분야가 바뀌었습니다({_area(previous.policy_area)} → {_area(stop.policy_area)})"
    label = _REMOVED_FROM_RULE.get(rule)
    return f"{label} 대상에 더 이상 해당하지 않으십니다" if label else None


def as_advance(stop: StopView) -> StopView:
    """The stop told as new, to someone who never received a notice about it."""
    return replace(
        stop, change=StopChangeKind.SCHEDULED, previous_starts_at=None, previous_ends_at=None
    )


def _people(roster: Sequence[CouncilMember], rules: RuleSet) -> dict[str, CouncilMember]:
    people = {m.id: m for m in roster}
    for district, contact in rules.district_heads.items():
        head = district_head_member(district, contact)
        people[head.id] = head
    return people


def _told(
    stop: StopView,
    previous: StopView | None,
    history: Sequence[Delivery],
    roster: Sequence[CouncilMember],
    rules: RuleSet,
) -> dict[str, Delivery | None]:
    """Who already received a notice about an earlier version (member id → that notice).

    With no record of the stop at all (the notifier was not running, or its data is older),
    whoever the rules select for the previous snapshot (for a cancellation: the stop as last
    confirmed) is assumed told: one update too many beats a member left with a stale event."""
    told: dict[str, Delivery | None] = {}
    earlier = [d for d in _notices(history) if d.stop_version < stop.version]
    for delivery in sorted(earlier, key=in_order):  # the latest sent one is what they hold
        if delivery.status is DeliveryStatus.SENT:
            told[delivery.member_id] = delivery
    told_of = previous or (stop if stop.cancelled else None)
    if not history and told_of is not None:
        for match in apply_rules(told_of, roster, rules):
            told.setdefault(match.member.id, None)
    return {m: d for m, d in told.items() if d is None or not is_removal(d)}


def is_removal(delivery: Delivery) -> bool:
    """A notice that withdrew its member's invitation of a stop still on (see module doc),
    or an operator's exclusion that did."""
    return delivery.purpose is DeliveryPurpose.WITHDRAWAL or (
        delivery.purpose is DeliveryPurpose.NOTICE
        and delivery.notice.ics_method is IcsMethod.CANCEL
        and delivery.change is not StopChangeKind.CANCELLED
    )


def in_order(delivery: Delivery) -> tuple[int, int, bool]:
    """Sort key of a member's notices and withdrawals of a stop, oldest first: by version,
    then round, a withdrawal after the invitation of its round (never by row id, which is
    random, nor by creation time alone, which ties within one burst)."""
    return (
        delivery.stop_version,
        delivery.round,
        delivery.purpose is DeliveryPurpose.WITHDRAWAL,
    )


def standing(history: Sequence[Delivery], member_id: str, version: int) -> Delivery | None:
    """The member's latest notice or withdrawal of this stop version, sent, on its way or
    given up (superseded ones never went): what decides whether they still need one."""
    theirs = [
        d
        for d in _notices(history)
        if d.member_id == member_id
        and d.stop_version == version
        and d.status is not DeliveryStatus.SUPERSEDED
    ]
    return max(theirs, key=in_order, default=None)


def invitation_held(history: Sequence[Delivery], member_id: str) -> Delivery | None:
    """The sent notice whose invitation the member's calendar still holds, if any: their
    latest sent notice, unless it cancelled the invitation or a withdrawal (sent or on its
    way) of it, or of a later version, has since."""
    told = [
        d
        for d in history
        if d.member_id == member_id
        and d.purpose is DeliveryPurpose.NOTICE
        and d.status is DeliveryStatus.SENT
    ]
    if not told:
        return None
    latest = max(told, key=lambda d: (d.stop_version, d.round, d.created_at))
    if latest.notice.ics_method is IcsMethod.CANCEL:
        return None
    since = (latest.stop_version, latest.round)
    withdrawn = any(w >= since for w in _withdrawn_rounds(history, member_id))
    return None if withdrawn else latest


def _withdrawn_rounds(history: Sequence[Delivery], member_id: str) -> set[tuple[int, int]]:
    """The (stop version, round) of each withdrawal that went, or is going, to the member."""
    return {
        (d.stop_version, d.round)
        for d in history
        if d.member_id == member_id
        and d.purpose is DeliveryPurpose.WITHDRAWAL
        and d.status in (DeliveryStatus.PENDING, DeliveryStatus.SENT)
    }


def plan_notices(
    stop: StopView,
    previous: StopView | None,
    roster: Sequence[CouncilMember],
    rules: RuleSet,
    overrides: Iterable[Override],
    history: Sequence[Delivery],
    now: datetime,
) -> NoticePlan:
    """Decide the notices for this version of the stop; see the module docstring."""
    if any(d.stop_version > stop.version for d in history):
        return NoticePlan(stale=True)
    people = _people(roster, rules)
    plan = NoticePlan()
    plan.superseded = [  # a withdrawal is never stale: it cancels the UID whatever the version
        d.id
        for d in _stale_with_their_stop(history)
        if d.stop_version < stop.version and d.purpose is not DeliveryPurpose.WITHDRAWAL
    ]
    told = _told(stop, previous, history, roster, rules)
    matches = apply_rules(stop, roster, rules)
    told_again = [m for m in told if m in people]
    added = {o.member_id for o in overrides if o.action is OverrideAction.ADD}
    in_audience = {m.member.id for m in matches} | added
    earlier_rules: dict[str, list[RuleId]] | None = None  # read only when someone left
    removed: dict[str, Match] = {}
    for member_id in told_again:
        earlier = told[member_id]
        when = f"{earlier.stop_version}차 " if earlier else ""
        if stop.cancelled or member_id in in_audience:
            why = f"앞서 이 일정의 {when}안내를 받으셔서 변경 사항을 알려드립니다."
            matches.append(Match(people[member_id], RuleId.PREVIOUSLY_TOLD, why))
            continue
        if earlier_rules is None:
            earlier_rules = _rules_by_member(
                apply_rules(previous, roster, rules) if previous else []
            )
        gone = people[member_id]
        why = removal_reason(gone, previous, stop, earlier_rules.get(member_id, []))
        removed[member_id] = Match(gone, RuleId.NO_LONGER_CONCERNED, why)
    matches += removed.values()
    excluded: dict[str, Override] = {}
    for override in overrides:
        member = people.get(override.member_id)
        if member is None:
            continue
        if override.action is OverrideAction.ADD:
            why = f"담당자가 이 일정의 안내 대상으로 추가했습니다: {override.reason}"
            matches.append(Match(member, RuleId.OPERATOR_ADDED, why))
        else:
            excluded[member.id] = override
    for d in history:  # re-added before their withdrawal went out: it never goes
        if (
            d.purpose is DeliveryPurpose.WITHDRAWAL
            and d.status is DeliveryStatus.PENDING
            and d.member_id not in excluded
        ):
            plan.superseded.append(d.id)
            plan.restored.append(d.member_id)
    by_member = _group(matches)
    names = {m.id: m.name for m in people.values()}
    for member_id, override in excluded.items():
        member = people[member_id]
        why = f"담당자가 이 일정의 안내 대상에서 제외했습니다: {override.reason}"
        plan.decisions.append(_decision(stop, member, RuleId.OPERATOR_EXCLUDED, False, why, now))
        held = invitation_held(history, member_id)
        withdrawn = f"{why} 앞서 보내드린 일정표 초대를 취소합니다."
        withdrawn_here = any(v == stop.version for v, _ in _withdrawn_rounds(history, member_id))
        if held is not None or withdrawn_here:
            # told before the exclusion: the verdict that withdraws their invitation
            plan.decisions.append(
                _decision(stop, member, RuleId.NO_LONGER_CONCERNED, True, withdrawn, now)
            )
        if held is None:  # nothing to take back (never told, or already cancelled)
            plan.withdrawn.append(member_id)
        else:  # their calendar must not keep it
            plan.notices.append(
                PlannedNotice(
                    member,
                    stop,
                    (RuleId.NO_LONGER_CONCERNED,),
                    (withdrawn,),
                    change_timing(stop.starts_at, now, rules.urgent_within),
                    replaces=held.id,
                    removal=True,
                    purpose=DeliveryPurpose.WITHDRAWAL,
                    round=held.round if held.stop_version == stop.version else 0,
                )
            )
        for match in by_member.get(member_id, []):
            overruled = f"(담당자 제외로 적용되지 않음) {match.explanation}"
            plan.decisions.append(_decision(stop, member, match.rule, False, overruled, now))
        plan.superseded += [
            d.id
            for d in _stale_with_their_stop(history)
            if d.stop_version == stop.version
            and d.member_id == member_id
            and d.purpose is not DeliveryPurpose.WITHDRAWAL  # the one thing they still get
        ]
        by_member.pop(member_id, None)
    for member, member_matches in _ordered(by_member):
        for match in member_matches:
            plan.decisions.append(_decision(stop, member, match.rule, True, match.explanation, now))
        current = standing(history, member.id, stop.version)
        removal = member.id in removed
        if current is None:
            planned = _notice_for(
                stop, previous, member, member_matches, told, rules, now, names, removal
            )
        elif removal or not is_removal(current):
            continue  # told of this version already (or its notice was given up)
        elif (
            current.purpose is DeliveryPurpose.WITHDRAWAL
            and current.status is not DeliveryStatus.SENT
        ):
            plan.restored.append(member.id)  # dropped above, or never went: invitation held
            continue
        elif current.status is DeliveryStatus.SENT:  # back after their invitation was cancelled
            timing = change_timing(stop.starts_at, now, rules.urgent_within)
            again = REINVITED_BY_OPERATOR if member.id in added else REINVITED
            planned = _reinvitation(stop, member, member_matches, current, again, timing)
        else:  # a removal by the rules not yet sent (or given up), and back in the audience
            planned = _notice_for(
                stop, previous, member, member_matches, told, rules, now, names, removal=False
            )
            if planned is not None:
                planned = replace(planned, round=current.round + 1)
            if current.status is DeliveryStatus.PENDING:
                plan.superseded.append(current.id)
        if planned is not None:
            plan.notices.append(planned)
    return plan


REINVITED_BY_OPERATOR = "담당자가 다시 안내 대상으로 추가해 일정표 초대를 다시 보내드립니다."
REINVITED = "다시 이 일정의 안내 대상이 되어 일정표 초대를 다시 보내드립니다."


def _reinvitation(
    stop: StopView,
    member: CouncilMember,
    matches: Sequence[Match],
    cancelled: Delivery,
    again: str,
    timing: Timing,
) -> PlannedNotice | None:
    """The invitation again, to a member whose calendar had it cancelled at this version (a
    withdrawal or removal went out) and who is back in the audience: told as new, in the
    next round, referring to the cancellation. Its iTIP REQUEST keeps the UID and SEQUENCE
    (the stop version): RFC 5546 §2.1.5 orders equal SEQUENCEs by DTSTAMP, and this one is
    composed later than the CANCEL, so calendars apply it."""
    if stop.cancelled:
        return None  # their calendar already shows it cancelled, as it now is
    return PlannedNotice(
        member,
        as_advance(stop),
        tuple(dict.fromkeys(m.rule for m in matches)),
        (*dict.fromkeys(m.explanation for m in matches), again),
        timing,
        replaces=cancelled.id,
        round=cancelled.round + 1,
    )


def _notice_for(
    stop: StopView,
    previous: StopView | None,
    member: CouncilMember,
    matches: Sequence[Match],
    told: Mapping[str, Delivery | None],
    rules: RuleSet,
    now: datetime,
    names: Mapping[str, str],
    removal: bool,
) -> PlannedNotice | None:
    rule_ids = tuple(dict.fromkeys(m.rule for m in matches))
    explanations = tuple(dict.fromkeys(m.explanation for m in matches))
    if member.id in told:
        earlier = told[member.id]
        return PlannedNotice(
            member,
            stop,
            rule_ids,
            explanations,
            change_timing(stop.starts_at, now, rules.urgent_within),
            replaces=earlier.id if earlier else None,
            changes=describe_changes(previous, stop, names),
            removal=removal,
        )
    if stop.cancelled:
        return None  # never told of it: nothing to take back
    timing = (
        change_timing(stop.starts_at, now, rules.urgent_within)
        if rules.send_at_once
        else advance_timing(stop.starts_at, rules.lead_time(rule_ids), now, rules.urgent_within)
    )
    return PlannedNotice(member, as_advance(stop), rule_ids, explanations, timing)


def _notices(history: Iterable[Delivery]) -> list[Delivery]:
    """The deliveries that tell of a stop version or withdraw its invitation (not its
    reminders or follow-ups)."""
    return [d for d in history if d.purpose in (DeliveryPurpose.NOTICE, DeliveryPurpose.WITHDRAWAL)]


def _stale_with_their_stop(history: Iterable[Delivery]) -> list[Delivery]:
    """Unsent notices and reminders: replaced when their stop version is."""
    return [
        d
        for d in history
        if d.status is DeliveryStatus.PENDING and d.purpose is not DeliveryPurpose.FOLLOW_UP
    ]


def _rules_by_member(matches: Iterable[Match]) -> dict[str, list[RuleId]]:
    found: dict[str, list[RuleId]] = {}
    for match in matches:
        found.setdefault(match.member.id, []).append(match.rule)
    return found


def _group(matches: Iterable[Match]) -> dict[str, list[Match]]:
    grouped: dict[str, list[Match]] = {}
    for match in matches:
        grouped.setdefault(match.member.id, []).append(match)
    return grouped


def _ordered(by_member: Mapping[str, list[Match]]) -> list[tuple[CouncilMember, list[Match]]]:
    """Leadership first (by role), then by name, as the roster is listed on notices."""
    entries = [(matches[0].member, matches) for matches in by_member.values()]
    return sorted(entries, key=lambda e: (e[0].leadership_rank, e[0].name, e[0].id))


def _decision(
    stop: StopView,
    member: CouncilMember,
    rule: RuleId,
    included: bool,
    explanation: str,
    now: datetime,
) -> Decision:
    return Decision(
        stop_id=stop.stop_id,
        stop_version=stop.version,
        member_id=member.id,
        member_name=member.name,
        rule=rule,
        included=included,
        explanation=explanation,
        decided_at=now,
    )
