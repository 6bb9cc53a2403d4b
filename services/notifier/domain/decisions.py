"""Who gets which notice about one stop version, and the stored reason for each decision.

A pure planner: from the stop (and its previous snapshot), the roster, the rules, the
operator's per-stop overrides and the notices already queued for the stop, it decides
- who is told and by which rules (every match becomes a stored Decision);
- which notices not yet sent are replaced (superseded) rather than sent stale;
- for each person: an advance notice at the lead time if they were never told, an update
  or cancellation at once (referring to the earlier notice) if they were.
Only notices (purpose `notice`) count as telling; a day-before reminder goes stale with its
notice (superseded alongside it), a press follow-up stays what it was when marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.lead_times import Timing, advance_timing, change_timing
from services.notifier.domain.notices import long_when
from services.notifier.domain.recipients import CouncilMember, Recipient
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
    stale: bool = False


def describe_changes(previous: StopView | None, stop: StopView) -> str:
    """What changed, in Korean: ``일시: … → …; 장소: … → …`` (empty if unknown)."""
    if stop.cancelled:
        return "일정이 취소되었습니다."
    if previous is None:
        return ""
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
    return "; ".join(parts)


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
    for delivery in sorted(earlier, key=lambda d: d.stop_version):
        if delivery.status is DeliveryStatus.SENT:
            told[delivery.member_id] = delivery
    told_of = previous or (stop if stop.cancelled else None)
    if not history and told_of is not None:
        for match in apply_rules(told_of, roster, rules):
            told.setdefault(match.member.id, None)
    return told


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
    plan.superseded = [
        d.id for d in _stale_with_their_stop(history) if d.stop_version < stop.version
    ]
    told = _told(stop, previous, history, roster, rules)
    matches = apply_rules(stop, roster, rules)
    for member_id, earlier in told.items():
        if member_id in people:
            when = f"{earlier.stop_version}차 " if earlier else ""
            why = f"앞서 이 일정의 {when}안내를 받으셔서 변경 사항을 알려드립니다."
            matches.append(Match(people[member_id], RuleId.PREVIOUSLY_TOLD, why))
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
    same_version = {
        d.member_id: d
        for d in _notices(history)
        if d.stop_version == stop.version and d.status is not DeliveryStatus.SUPERSEDED
    }
    by_member = _group(matches)
    for member_id, override in excluded.items():
        member = people[member_id]
        why = f"담당자가 이 일정의 안내 대상에서 제외했습니다: {override.reason}"
        plan.decisions.append(_decision(stop, member, RuleId.OPERATOR_EXCLUDED, False, why, now))
        for match in by_member.get(member_id, []):
            overruled = f"(담당자 제외로 적용되지 않음) {match.explanation}"
            plan.decisions.append(_decision(stop, member, match.rule, False, overruled, now))
        plan.superseded += [
            d.id
            for d in _stale_with_their_stop(history)
            if d.stop_version == stop.version and d.member_id == member_id
        ]
        by_member.pop(member_id, None)
    for member, member_matches in _ordered(by_member):
        for match in member_matches:
            plan.decisions.append(_decision(stop, member, match.rule, True, match.explanation, now))
        if member.id in same_version:
            continue
        planned = _notice_for(stop, previous, member, member_matches, told, rules, now)
        if planned is not None:
            plan.notices.append(planned)
    return plan


def _notice_for(
    stop: StopView,
    previous: StopView | None,
    member: CouncilMember,
    matches: Sequence[Match],
    told: Mapping[str, Delivery | None],
    rules: RuleSet,
    now: datetime,
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
            changes=describe_changes(previous, stop),
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
    """The deliveries that tell of a stop version (not its reminders or follow-ups)."""
    return [d for d in history if d.purpose is DeliveryPurpose.NOTICE]


def _stale_with_their_stop(history: Iterable[Delivery]) -> list[Delivery]:
    """Unsent notices and reminders: replaced when their stop version is."""
    return [
        d
        for d in history
        if d.status is DeliveryStatus.PENDING and d.purpose is not DeliveryPurpose.FOLLOW_UP
    ]


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
