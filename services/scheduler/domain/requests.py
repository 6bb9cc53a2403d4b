"""What schedulers ask for: visit requests to be planned and fixed commitments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from dateutil.rrule import rrulestr

from schemas.vocabulary import SEOUL
from services.scheduler.planning.problem import TimeWindow


class RequestStatus(StrEnum):
    """Open requests wait for the planner; scheduled ones are on a confirmed plan.

    A withdrawn request is kept for history and never planned again.
    """

    OPEN = "open"
    SCHEDULED = "scheduled"
    WITHDRAWN = "withdrawn"


class CommitmentStatus(StrEnum):
    """An active commitment is planned around; a withdrawn one is kept for history only."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Recurrence(StrEnum):
    """How a fixed commitment repeats (an RRULE, when given, says it more precisely)."""

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
    """A request for the mayor to go somewhere; the planner decides if and when.

    `member_ids` are the council members who must attend (a council meeting); a
    `mandatory` request must be placed whenever it can be.
    """

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
    mandatory: bool = False
    member_ids: tuple[str, ...] = ()

    def windows_on(self, day: date) -> tuple[TimeWindow, ...]:
        """The windows that touch the given Seoul calendar day."""
        return tuple(w for w in self.windows if _touches(w, day))


@dataclass(frozen=True)
class Commitment:
    """A fixed commitment (cabinet meeting, council plenary); may recur.

    `rrule` (RFC 5545, e.g. ``FREQ=WEEKLY;BYDAY=TU``) starts at `starts_at`; `exdates` are
    the Seoul days it does not happen. Without an rrule, `recurrence` weekly repeats on
    the weekday of `starts_at`.
    """

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
    rrule: str | None = None
    exdates: tuple[date, ...] = ()
    covers_lunch: bool = False
    status: CommitmentStatus = CommitmentStatus.ACTIVE

    def occurrence_on(self, day: date) -> tuple[datetime, datetime] | None:
        """Start and end of this commitment on `day`, if it happens that day."""
        first = self.starts_at.astimezone(SEOUL)
        if day in self.exdates or day < first.date():
            return None
        if self.rrule:
            starts = occurrences(self.rrule, first, day, day)
            if not starts:
                return None
            start = starts[0]
        elif self.recurrence == Recurrence.WEEKLY:
            if day.weekday() != first.weekday():
                return None
            start = datetime.combine(day, first.timetz())
        elif day != first.date():
            return None
        else:
            start = first
        return start, start + (self.ends_at - self.starts_at)


def occurrences(rule: str, first: datetime, from_day: date, to_day: date) -> list[datetime]:
    """Starts (Seoul, aware) of an RRULE beginning at `first`, on Seoul days in the range.

    The rule is expanded on Seoul wall-clock time (dateutil), so "every Tuesday 10:00"
    stays at 10:00. Raises ValueError for a rule dateutil cannot read.
    """
    local = first.astimezone(SEOUL).replace(tzinfo=None)
    rule_set = rrulestr(rule, dtstart=local, forceset=True)
    low = datetime.combine(from_day, time.min)
    high = datetime.combine(to_day, time.max)
    return [moment.replace(tzinfo=SEOUL) for moment in rule_set.between(low, high, inc=True)]


def value_of(priority: int) -> int:
    """Planning value of a priority 1–5: each step is worth three of the one below."""
    return 3 ** (priority - 1)


def _touches(window: TimeWindow, day: date) -> bool:
    day_start = datetime.combine(day, datetime.min.time(), SEOUL)
    return window.start < day_start + timedelta(days=1) and window.end > day_start
