"""The rules for who is told of a stop, each on its own, switchable and with its lead time.

From the 2022 work report: the council members of the district of a field visit or local
event (and the district head where one is configured); the council leadership for important
events; the standing committee of the policy area and the leadership before a policy is
announced to the press; the attendees of a council meeting, as the scheduler names them on
the stop (`attendee_ids`; without a list, the members of its standing committee). Members
named to attend any other stop are told as its participants. An operator adds or excludes
anyone else (see decisions.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_DISTRICTS
from services.notifier.domain.recipients import (
    NOT_LOCAL_EVENTS,
    ROLE_LABELS,
    CouncilMember,
    committee_for,
)
from services.notifier.domain.stops import StopView


class RuleId(StrEnum):
    """Why a person is (or is not) told of a stop; stored with every decision."""

    DISTRICT_MEMBERS = "district_members"
    DISTRICT_HEAD = "district_head"
    LEADERSHIP_IMPORTANT = "leadership_important"
    PRESS_COMMITTEE = "press_committee"
    PRESS_LEADERSHIP = "press_leadership"
    COUNCIL_MEETING = "council_meeting"
    STOP_ATTENDEES = "stop_attendees"
    PREVIOUSLY_TOLD = "previously_told"
    NO_LONGER_CONCERNED = "no_longer_concerned"
    OPERATOR_ADDED = "operator_added"
    OPERATOR_EXCLUDED = "operator_excluded"

    @property
    def label(self) -> str:
        """The rule in Korean, for pages and e-mail footers."""
        return RULE_LABELS[self]


RULE_LABELS: dict[RuleId, str] = {
    RuleId.DISTRICT_MEMBERS: "지역구 시의원 사전설명",
    RuleId.DISTRICT_HEAD: "해당 자치구청장 사전설명",
    RuleId.LEADERSHIP_IMPORTANT: "중요 행사 시의회 지도부 초청·사전설명",
    RuleId.PRESS_COMMITTEE: "주요 정책 언론발표 전 소관 상임위원회 사전설명",
    RuleId.PRESS_LEADERSHIP: "주요 정책 언론발표 전 시의회 지도부 사전설명",
    RuleId.COUNCIL_MEETING: "시의회 간담회 참석 대상",
    RuleId.STOP_ATTENDEES: "일정 참석 대상 시의원",
    RuleId.PREVIOUSLY_TOLD: "앞서 안내받은 일정의 변경·취소",
    RuleId.NO_LONGER_CONCERNED: "앞서 안내받았으나 변경 후 안내 대상에서 빠짐",
    RuleId.OPERATOR_ADDED: "담당자 추가 지정",
    RuleId.OPERATOR_EXCLUDED: "담당자 제외 지정",
}

DEFAULT_LEAD_TIMES: dict[RuleId, timedelta] = {
    RuleId.DISTRICT_MEMBERS: timedelta(hours=48),
    RuleId.DISTRICT_HEAD: timedelta(hours=48),
    RuleId.LEADERSHIP_IMPORTANT: timedelta(hours=48),
    RuleId.PRESS_COMMITTEE: timedelta(hours=24),
    RuleId.PRESS_LEADERSHIP: timedelta(hours=24),
    RuleId.COUNCIL_MEETING: timedelta(hours=24),
    RuleId.STOP_ATTENDEES: timedelta(hours=48),
    RuleId.PREVIOUSLY_TOLD: timedelta(0),
    RuleId.NO_LONGER_CONCERNED: timedelta(0),
    RuleId.OPERATOR_ADDED: timedelta(hours=48),
}
"""How long before the stop its advance notice goes out, per rule (the longest one wins)."""

MATCHING_RULES: tuple[RuleId, ...] = (
    RuleId.DISTRICT_MEMBERS,
    RuleId.DISTRICT_HEAD,
    RuleId.LEADERSHIP_IMPORTANT,
    RuleId.PRESS_COMMITTEE,
    RuleId.PRESS_LEADERSHIP,
    RuleId.COUNCIL_MEETING,
    RuleId.STOP_ATTENDEES,
)
"""The rules read from the stop and the roster, in the order they are evaluated."""


@dataclass(frozen=True)
class Contact:
    """Someone outside the council who is told, e.g. a district head (구청장)."""

    name: str
    email: str


@dataclass(frozen=True)
class RuleSet:
    """Which rules are on, the district heads configured, and each rule's lead time."""

    enabled: frozenset[RuleId] = frozenset(MATCHING_RULES)
    district_heads: Mapping[str, Contact] = field(default_factory=dict)
    lead_times: Mapping[RuleId, timedelta] = field(default_factory=lambda: DEFAULT_LEAD_TIMES)
    urgent_within: timedelta = timedelta(hours=24)
    send_at_once: bool = False
    """Every notice goes out at confirmation (demos, tests of the mail path), not at its
    rule's lead time, and is not marked short notice."""

    def lead_time(self, rules: Iterable[RuleId]) -> timedelta:
        """The longest lead time of the rules that matched (0 if none has one)."""
        return max(
            (self.lead_times.get(rule, timedelta(0)) for rule in rules), default=timedelta(0)
        )


@dataclass(frozen=True)
class Match:
    """One rule that selects one person for one stop, with its explanation in Korean."""

    member: CouncilMember
    rule: RuleId
    explanation: str


def is_local_event(stop: StopView) -> bool:
    """A field visit or local event in a Seoul district (not a commitment, briefing, meeting)."""
    return stop.category not in NOT_LOCAL_EVENTS and stop.district != OUTSIDE_SEOUL


def district_members(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """The members elected in the district of a field visit or local event."""
    if not is_local_event(stop):
        return []
    why = (
        f"{stop.district}에서 열리는 현장 일정이라 지역구({stop.district}) 시의원께 사전설명합니다."
    )
    return [Match(m, RuleId.DISTRICT_MEMBERS, why) for m in roster if m.district == stop.district]


def district_head_member(district: str, contact: Contact) -> CouncilMember:
    """A district head as a recipient (id `dh-01`…`dh-25`, in the order of SEOUL_DISTRICTS)."""
    number = SEOUL_DISTRICTS.index(district) + 1 if district in SEOUL_DISTRICTS else 0
    return CouncilMember(
        id=f"dh-{number:02d}",
        name=contact.name,
        email=contact.email,
        district=district,
        committees=frozenset(),
        roles=frozenset({"district_head"}),
        caucus="",
    )


def district_head(stop: StopView, heads: Mapping[str, Contact]) -> list[Match]:
    """The district head of a local event's district, where one is configured."""
    contact = heads.get(stop.district)
    if contact is None or not is_local_event(stop):
        return []
    why = f"{stop.district}에서 열리는 현장 일정이라 {stop.district}청장께 사전설명합니다."
    return [Match(district_head_member(stop.district, contact), RuleId.DISTRICT_HEAD, why)]


def _leaders(roster: Sequence[CouncilMember]) -> list[CouncilMember]:
    return [m for m in roster if m.is_leadership]


def _roles_of(member: CouncilMember) -> str:
    return ", ".join(label for role, label in ROLE_LABELS.items() if role in member.roles)


def leadership_important(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """The chair, vice-chairs, steering chair and caucus leaders, for important events."""
    if not stop.important:
        return []
    return [
        Match(
            m,
            RuleId.LEADERSHIP_IMPORTANT,
            f"중요 행사여서 시의회 지도부({_roles_of(m)})께 미리 초청·설명합니다.",
        )
        for m in _leaders(roster)
    ]


def press_committee(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """The standing committee of the policy area, before a press announcement."""
    committee = committee_for(stop.policy_area)
    if stop.category != "press" or committee is None:
        return []
    why = f"언론 발표 전에 소관 상임위원회({committee}) 위원께 목적과 내용을 사전설명합니다."
    return [Match(m, RuleId.PRESS_COMMITTEE, why) for m in roster if committee in m.committees]


def press_leadership(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """The leadership, before any policy announcement to the press."""
    if stop.category != "press":
        return []
    return [
        Match(
            m,
            RuleId.PRESS_LEADERSHIP,
            f"주요 정책 언론 발표 전에 시의회 지도부({_roles_of(m)})께 사전설명합니다.",
        )
        for m in _leaders(roster)
    ]


def council_meeting(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """A council meeting's attendees as the stop names them; without a list, the members of
    its standing committee (the explanation says it is a fallback)."""
    if stop.category != "council_meeting":
        return []
    if stop.attendee_ids:
        why = "의원 간담회 참석 대상으로 지정되셔서 안내합니다."
        return _named(stop, roster, RuleId.COUNCIL_MEETING, why)
    committee = committee_for(stop.policy_area)
    if committee is None:
        return []
    why = (
        f"간담회 참석 명단이 지정되지 않아 소관 상임위원회({committee}) 위원께 "
        "참석 대상으로 안내합니다."
    )
    return [Match(m, RuleId.COUNCIL_MEETING, why) for m in roster if committee in m.committees]


def stop_attendees(stop: StopView, roster: Sequence[CouncilMember]) -> list[Match]:
    """Members named to attend any other stop (e.g. leadership at a mandatory event): they take
    part, so they are told like the attendees of a council meeting."""
    if stop.category == "council_meeting":
        return []  # the council-meeting rule tells them
    why = "이 일정의 참석 대상 시의원으로 지정되셔서 안내합니다."
    return _named(stop, roster, RuleId.STOP_ATTENDEES, why)


def _named(stop: StopView, roster: Sequence[CouncilMember], rule: RuleId, why: str) -> list[Match]:
    """The roster's members among the stop's attendees (an id not on the roster reaches no one)."""
    named = set(stop.attendee_ids)
    return [Match(m, rule, why) for m in roster if m.id in named]


_ROSTER_RULES: dict[RuleId, Callable[[StopView, Sequence[CouncilMember]], list[Match]]] = {
    RuleId.DISTRICT_MEMBERS: district_members,
    RuleId.LEADERSHIP_IMPORTANT: leadership_important,
    RuleId.PRESS_COMMITTEE: press_committee,
    RuleId.PRESS_LEADERSHIP: press_leadership,
    RuleId.COUNCIL_MEETING: council_meeting,
    RuleId.STOP_ATTENDEES: stop_attendees,
}


def apply_rules(stop: StopView, roster: Sequence[CouncilMember], rules: RuleSet) -> list[Match]:
    """Every enabled rule's matches for this stop, in rule order."""
    matches: list[Match] = []
    for rule in MATCHING_RULES:
        if rule not in rules.enabled:
            continue
        if rule is RuleId.DISTRICT_HEAD:
            matches += district_head(stop, rules.district_heads)
        else:
            matches += _ROSTER_RULES[rule](stop, roster)
    return matches
