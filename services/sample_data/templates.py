"""The template week: requests and commitments by weekday and local wall-clock time.

A request window is the interval the whole visit must fit in (start at or after ``start``,
finish at or before ``end``).
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import Field, model_validator

from schemas.vocabulary import PolicyArea, VisitCategory
from services.sample_data.base import Frozen

#: Every template time must fall inside this working day.
WORKDAY_START = time(7, 0)
WORKDAY_END = time(22, 0)

Weekday = Annotated[int, Field(ge=0, le=4, description="0 = Monday … 4 = Friday")]


def in_workday(*times: time) -> bool:
    return all(WORKDAY_START <= t <= WORKDAY_END for t in times)


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class TimeWindow(Frozen):
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if not self.start < self.end:
            raise ValueError(f"window {self.start}–{self.end} is empty")
        return self

    @property
    def minutes(self) -> int:
        return _minutes(self.start, self.end)


class RequestTemplate(Frozen):
    ref: str
    day: Weekday
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    duration_minutes: int = Field(gt=0)
    windows: list[TimeWindow] = Field(min_length=1)
    priority: int = Field(ge=1, le=5, description="5 is highest")
    public: bool
    important: bool
    requesting_department: str

    @model_validator(mode="after")
    def _fits(self) -> RequestTemplate:
        if self.category is VisitCategory.FIXED_COMMITMENT:
            raise ValueError(f"{self.ref}: a request cannot be a fixed commitment")
        if not any(w.minutes >= self.duration_minutes for w in self.windows):
            raise ValueError(f"{self.ref}: {self.duration_minutes} min fits no window")
        return self


class CommitmentTemplate(Frozen):
    ref: str
    day: Weekday
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    duration_minutes: int = Field(gt=0)
    start: time
    end: time
    public: bool
    important: bool
    requesting_department: str
    recurrence: Literal["weekly"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentTemplate:
        if _minutes(self.start, self.end) != self.duration_minutes:
            raise ValueError(f"{self.ref}: start/end disagree with duration_minutes")
        return self
