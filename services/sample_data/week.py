"""A concrete week: the templates placed on real, timezone-aware (Asia/Seoul) dates."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime

from schemas.vocabulary import PolicyArea, VisitCategory
from services.sample_data.base import Frozen


class ConcreteWindow(Frozen):
    start: AwareDatetime
    end: AwareDatetime


class ConcreteRequest(Frozen):
    ref: str
    date: date
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    district: str
    duration_minutes: int
    windows: list[ConcreteWindow]
    priority: int
    public: bool
    important: bool
    requesting_department: str


class ConcreteCommitment(Frozen):
    ref: str
    date: date
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    district: str
    start: AwareDatetime
    end: AwareDatetime
    public: bool
    important: bool
    requesting_department: str
    recurrence: Literal["weekly"] | None = None


class WeekDay(Frozen):
    """One working day of a materialised week."""

    date: date
    requests: list[ConcreteRequest]
    commitments: list[ConcreteCommitment]
