"""The day-planning problem and its answer: plain values, no solver code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.planning import ReasonCode
from services.scheduler.planning.travel import Location


@dataclass(frozen=True)
class TimeWindow:
    """When a visit may happen: the whole visit fits inside [start, end] (tz-aware)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Candidate:
    """Something the mayor could do on the day: an optional visit or a fixed commitment."""

    id: str
    label: str
    location: Location
    duration: timedelta
    windows: tuple[TimeWindow, ...]
    value: int  # priority points, >= 1; higher = more important
    fixed: bool = False  # mandatory, starts exactly at windows[0].start
    pinned_start: datetime | None = None  # mandatory, starts exactly here

    @property
    def mandatory(self) -> bool:
        return self.fixed or self.pinned_start is not None

    @property
    def mandatory_start(self) -> datetime:
        """The exact start of a fixed or pinned candidate (a pin wins over the window)."""
        if self.pinned_start is not None:
            return self.pinned_start
        if not self.windows:
            raise ValueError(f"fixed candidate {self.id} has no window")
        return self.windows[0].start


@dataclass(frozen=True)
class DayPlanRequest:
    """One day to plan: leave the depot at/after day_start, be back by day_end."""

    day_start: datetime
    day_end: datetime
    depot: Location  # City Hall
    candidates: tuple[Candidate, ...]
    time_limit: timedelta = timedelta(seconds=5)


@dataclass(frozen=True)
class PlannedStop:
    candidate_id: str
    arrive_at: datetime
    start_at: datetime
    end_at: datetime
    travel_minutes_from_previous: int


DropReason = ReasonCode
"""Why the planner left a visit out: the day planner uses the first three codes, the week
planner all of them; one vocabulary, defined with the plan file's format."""


@dataclass(frozen=True)
class DroppedCandidate:
    candidate_id: str
    reason_code: DropReason
    reason: str  # Korean, user-facing


@dataclass(frozen=True)
class DayPlan:
    stops: tuple[PlannedStop, ...]
    dropped: tuple[DroppedCandidate, ...]
    total_value: int
    total_travel_minutes: int
    return_at: datetime
    solver_status: str
    proven_optimal: bool


@dataclass(frozen=True)
class Conflict:
    """Mandatory items that cannot all happen as stated; the reason names labels and times."""

    candidate_ids: tuple[str, ...]
    reason_code: str
    reason: str


class PlanInfeasible(Exception):
    """The fixed commitments (and pins) cannot all be kept on this day."""

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        self.conflicts = conflicts
        lines = "\n".join(f"- {c.reason}" for c in conflicts)
        super().__init__(f"고정 일정을 모두 지킬 수 없어 계획을 세울 수 없습니다.\n{lines}")

    def __reduce__(self) -> tuple[type[PlanInfeasible], tuple[tuple[Conflict, ...]]]:
        """Rebuilt from its conflicts, so it crosses from a planner process intact."""
        return (PlanInfeasible, (self.conflicts,))
