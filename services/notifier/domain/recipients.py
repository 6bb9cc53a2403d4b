"""The council as the notifier knows it: members, leadership roles, standing committees.

The rules for who is told of a stop are in rules.py; decisions.py applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    def role_label(self) -> str:
        """How the member is named to others told of the same stop: a role, never a name."""
        if self.is_leadership:
            return f"시의회 {ROLE_LABELS[LEADERSHIP_ROLES[self.leadership_rank]]}"
        if self.district:
            return f"지역구({self.district}) 시의원"
        return "시의원"

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
