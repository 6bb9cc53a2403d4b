"""Who on the city council must be told of a stop, and why (rules of the 2022 work report).

- a field visit or local event: the members elected in that district;
- an important event: the council leadership (의장, 부의장 2, 운영위원장, 교섭단체 대표의원);
- a major policy announcement to the press: the responsible standing committee and the leadership;
- a council round-table on a policy area: the members of that standing committee.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from schemas.vocabulary import OUTSIDE_SEOUL
from services.notifier.domain.stops import StopView

COMMITTEES: dict[str, str] = {
    "administration": "행정자치위원회",
    "economy": "기획경제위원회",
    "environment": "환경수자원위원회",
    "culture": "문화체육관광위원회",
    "welfare": "보건복지위원회",
    "housing": "주택공간위원회",
    "urban_planning": "도시계획균형위원회",
    "transport": "교통위원회",
    "education": "교육위원회",
    "safety": "도시안전건설위원회",
}

LEADERSHIP_ROLES: tuple[str, ...] = ("chair", "vice_chair", "steering_chair", "caucus_leader")
"""Leadership role codes, in the order recipients are listed."""

ROLE_LABELS: dict[str, str] = {
    "chair": "의장",
    "vice_chair": "부의장",
    "steering_chair": "운영위원장",
    "caucus_leader": "교섭단체 대표의원",
}

NOT_LOCAL_EVENTS = frozenset({"fixed_commitment", "press", "council_meeting"})
"""Categories that are not field visits or local events, so district members are not told:
the cabinet meeting and other fixed commitments, City Hall press briefings, council meetings."""

REASON_IMPORTANT = "시의회 지도부(중요 행사)"
REASON_PRESS_LEADERSHIP = "시의회 지도부(주요 정책 언론발표 사전설명)"


@dataclass(frozen=True)
class CouncilMember:
    """A member of the Seoul Metropolitan Council (district None: proportional seat)."""

    id: str
    name: str
    email: str
    district: str | None
    committees: frozenset[str]
    roles: frozenset[str]
    caucus: str

    @property
    def leadership_rank(self) -> int:
        """Position of the member's highest leadership role; len(LEADERSHIP_ROLES) if none."""
        ranks = [i for i, role in enumerate(LEADERSHIP_ROLES) if role in self.roles]
        return min(ranks, default=len(LEADERSHIP_ROLES))

    @property
    def is_leadership(self) -> bool:
        """True for the chair, vice-chairs, steering committee chair and caucus leaders."""
        return self.leadership_rank < len(LEADERSHIP_ROLES)


@dataclass(frozen=True)
class Recipient:
    """A member to notify, with every reason (in Korean) they receive the notice."""

    member: CouncilMember
    reasons: tuple[str, ...]


def committee_for(policy_area: str | None) -> str | None:
    """The standing committee responsible for a policy area (None if unknown or unset)."""
    if policy_area is None:
        return None
    return COMMITTEES.get(policy_area)


def committee_reason(committee: str) -> str:
    """Why a committee member is told."""
    return f"소관 상임위원회({committee})"


def district_reason(district: str) -> str:
    """Why a district member is told."""
    return f"지역구({district}) 시의원"


def _matches(stop: StopView, member: CouncilMember) -> list[str]:
    reasons: list[str] = []
    local = stop.category not in NOT_LOCAL_EVENTS and stop.district != OUTSIDE_SEOUL
    if local and member.district == stop.district:
        reasons.append(district_reason(stop.district))
    committee = committee_for(stop.policy_area)
    if committee and stop.category in ("press", "council_meeting"):
        if committee in member.committees:
            reasons.append(committee_reason(committee))
    if member.is_leadership:
        if stop.important:
            reasons.append(REASON_IMPORTANT)
        if stop.category == "press":
            reasons.append(REASON_PRESS_LEADERSHIP)
    return reasons


def _ordered(found: dict[str, tuple[CouncilMember, list[str]]]) -> list[Recipient]:
    entries = sorted(found.values(), key=lambda e: (e[0].leadership_rank, e[0].name, e[0].id))
    return [Recipient(member=member, reasons=tuple(reasons)) for member, reasons in entries]


def _collect(stops: Iterable[StopView], roster: Sequence[CouncilMember]) -> list[Recipient]:
    found: dict[str, tuple[CouncilMember, list[str]]] = {}
    for stop in stops:
        for member in roster:
            for reason in _matches(stop, member):
                _, reasons = found.setdefault(member.id, (member, []))
                if reason not in reasons:
                    reasons.append(reason)
    return _ordered(found)


def recipients_for(stop: StopView, roster: Sequence[CouncilMember]) -> list[Recipient]:
    """Members to tell of this stop, each once, leadership first (by role) then by name."""
    return _collect([stop], roster)


def recipients_for_change(
    stop: StopView, previous: StopView | None, roster: Sequence[CouncilMember]
) -> list[Recipient]:
    """Recipients of the stop now and as previously confirmed, so whoever was told of the
    stop also learns that it moved or was cancelled."""
    snapshots = [stop] if previous is None else [stop, previous]
    return _collect(snapshots, roster)
