"""What schedulers ask for: visit requests to be planned and fixed commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from schemas.vocabulary import SEOUL
from services.scheduler.planning.problem import TimeWindow


class RequestStatus(StrEnum):
    """Open requests wait for the planner; scheduled ones are on a confirmed plan."""

    OPEN = "open"
    SCHEDULED = "scheduled"


class Recurrence(StrEnum):
    """How a fixed commitment repeats."""

    NONE = "none"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Place:
    name: str
    district: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class VisitRequest:
    """A request for the mayor to go somewhere; the planner decides if and when."""

    id: str
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place: Place
    duration: timedelta
    windows: tuple[TimeWindow, ...]
    priority: int
    public: bool
    important: bool
    requesting_department: str
    status: RequestStatus = RequestStatus.OPEN

    def windows_on(self, day: date) -> tuple[TimeWindow, ...]:
        """The windows that touch the given Seoul calendar day."""
        return tuple(w for w in self.windows if _touches(w, day))


@dataclass(frozen=True)
class Commitment:
    """A fixed commitment (cabinet meeting, council plenary); may recur weekly."""

    id: str
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place: Place
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    requesting_department: str
    recurrence: Recurrence = Recurrence.NONE

    def occurrence_on(self, day: date) -> tuple[datetime, datetime] | None:
        """Start and end of this commitment on `day`, if it happens that day."""
        first = self.starts_at.astimezone(SEOUL)
        if self.recurrence == Recurrence.WEEKLY:
            if day < first.date() or day.weekday() != first.weekday():
                return None
        elif day != first.date():
            return None
        start = datetime.combine(day, first.timetz())
        return start, start + (self.ends_at - self.starts_at)


def value_of(priority: int) -> int:
    """Planning value of a priority 1–5: each step is worth three of the one below."""
    return 3 ** (priority - 1)


def _touches(window: TimeWindow, day: date) -> bool:
    day_start = datetime.combine(day, datetime.min.time(), SEOUL)
    return window.start < day_start + timedelta(days=1) and window.end > day_start
