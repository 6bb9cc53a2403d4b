"""The council members a briefing names and a request belongs to (the briefing's own copy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ROLE_LABELS: dict[str, str] = {
    "chair": "의장",
    "vice_chair": "부의장",
    "steering_chair": "운영위원장",
    "caucus_leader": "교섭단체 대표의원",
    "committee_chair": "상임위원장",
}


@dataclass(frozen=True)
class CouncilMember:
    """A member as the briefing shows it: name, district, committees and roles."""

    id: str
    name: str
    district: str
    committees: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """'강새벽 의원(의장, 운영위원회)'."""
        extras = [ROLE_LABELS.get(r, r) for r in self.roles] + list(self.committees)
        return f"{self.name} 의원" + (f"({', '.join(extras)})" if extras else "")


@dataclass(frozen=True)
class CouncilDirectory:
    """Every member known to the briefing service, looked up by id or district."""

    members: tuple[CouncilMember, ...] = ()

    @classmethod
    def of(cls, members: Iterable[CouncilMember]) -> CouncilDirectory:
        return cls(tuple(sorted(members, key=lambda m: m.id)))

    def get(self, member_id: str) -> CouncilMember | None:
        return next((m for m in self.members if m.id == member_id), None)

    def in_district(self, district: str) -> list[CouncilMember]:
        """The members elected in a district, by id."""
        return [m for m in self.members if m.district == district]
