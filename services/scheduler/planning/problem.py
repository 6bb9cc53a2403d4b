"""Plain values the planners and the service share: windows, reasons, conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from schemas.planning import ReasonCode


@dataclass(frozen=True)
class TimeWindow:
    """When a visit may happen: the whole visit fits inside [start, end] (tz-aware)."""

    start: datetime
    end: datetime


DropReason = ReasonCode
"""Why the planner left a visit out: one vocabulary, defined with the plan file's format."""


@dataclass(frozen=True)
class Conflict:
    """Mandatory items that cannot all happen as stated; the reason names labels and times."""

    candidate_ids: tuple[str, ...]
    reason_code: str
    reason: str


class PlanInfeasible(Exception):
    """The mandatory items (commitments, mandatory requests) cannot all be kept."""

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"- {c.reason}" for c in conflicts)
        super().__init__(f"필수 일정을 모두 지킬 수 없어 계획을 세울 수 없습니다.\n{lines}")

    def __reduce__(self) -> tuple[type[PlanInfeasible], tuple[tuple[Conflict, ...]]]:
        """Rebuilt from its conflicts, so it crosses from a planner process intact."""
        return (PlanInfeasible, (self.conflicts,))
