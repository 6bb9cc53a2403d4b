"""The council roster: standing committees, caucuses, leadership roles, and their checks.

The packaged roster is fictional and must say so; e-mail addresses use an example domain.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from pydantic import Field

from services.sample_data.base import Frozen

STANDING_COMMITTEES: tuple[str, ...] = (
    "운영위원회",
    "행정자치위원회",
    "기획경제위원회",
    "환경수자원위원회",
    "문화체육관광위원회",
    "보건복지위원회",
    "주택공간위원회",
    "도시계획균형위원회",
    "교통위원회",
    "도시안전건설위원회",
    "교육위원회",
)
STEERING_COMMITTEE = "운영위원회"
CAUCUSES: tuple[str, ...] = ("가나다당", "라마바당")
EMAIL_DOMAIN = "example.kr"


class LeadershipRole(StrEnum):
    """Council leadership roles (의장단, 운영위원장, 교섭단체 대표의원, 상임위원장)."""

    CHAIR = "chair"  # 의장
    VICE_CHAIR = "vice_chair"  # 부의장
    STEERING_CHAIR = "steering_chair"  # 운영위원장
    CAUCUS_LEADER = "caucus_leader"  # 교섭단체 대표의원
    COMMITTEE_CHAIR = "committee_chair"  # 상임위원장


#: How many members hold each role (committee chairs: one per standing committee).
ROLE_COUNTS: dict[LeadershipRole, int] = {
    LeadershipRole.CHAIR: 1,
    LeadershipRole.VICE_CHAIR: 2,
    LeadershipRole.STEERING_CHAIR: 1,
    LeadershipRole.CAUCUS_LEADER: len(CAUCUSES),
    LeadershipRole.COMMITTEE_CHAIR: len(STANDING_COMMITTEES),
}


class CouncilMember(Frozen):
    id: str
    name: str
    email: str
    district: str
    committees: list[str] = Field(min_length=1)
    roles: list[LeadershipRole] = Field(default_factory=list)
    caucus: str


class CouncilRoster(Frozen):
    fictional: bool
    notice: str
    members: list[CouncilMember]


def check_roster(roster: CouncilRoster, district_names: set[str]) -> None:
    if not roster.fictional:
        raise ValueError("the sample council roster must be marked fictional")
    members = roster.members
    for field in ("id", "email"):
        dupes = [v for v, n in Counter(getattr(m, field) for m in members).items() if n > 1]
        if dupes:
            raise ValueError(f"duplicate member {field}: {dupes}")
    for m in members:
        if not m.email.endswith("@council." + EMAIL_DOMAIN):
            raise ValueError(f"{m.id}: e-mail must use the {EMAIL_DOMAIN} example domain")
        if m.district not in district_names:
            raise ValueError(f"{m.id}: unknown district {m.district!r}")
        if unknown := set(m.committees) - set(STANDING_COMMITTEES):
            raise ValueError(f"{m.id}: unknown committees {sorted(unknown)}")
        if m.caucus not in CAUCUSES:
            raise ValueError(f"{m.id}: unknown caucus {m.caucus!r}")
    for role, expected in ROLE_COUNTS.items():
        holders = [m for m in members if role in m.roles]
        if len(holders) != expected:
            raise ValueError(f"{role}: {len(holders)} holders, expected {expected}")
    steering = next(m for m in members if LeadershipRole.STEERING_CHAIR in m.roles)
    if STEERING_COMMITTEE not in steering.committees:
        raise ValueError(f"steering chair {steering.id} must sit on {STEERING_COMMITTEE}")
    leaders = sorted(m.caucus for m in members if LeadershipRole.CAUCUS_LEADER in m.roles)
    if leaders != sorted(CAUCUSES):
        raise ValueError(f"need one caucus leader per caucus, got {leaders}")
    chaired = Counter(
        c for m in members if LeadershipRole.COMMITTEE_CHAIR in m.roles for c in m.committees
    )
    if any(chaired[c] != 1 for c in STANDING_COMMITTEES):
        raise ValueError(f"each committee needs exactly one chair, got {dict(chaired)}")
