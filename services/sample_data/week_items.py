"""What the realistic sample week is made of: venues, requests, commitments, availability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from schemas.vocabulary import VisitCategory


@dataclass(frozen=True)
class Venue:
    key: str
    name: str
    district: str  # a Seoul district or "서울 외"
    latitude: float
    longitude: float
    region: str = "서울"


@dataclass(frozen=True)
class WeekRequest:
    ref: str
    title: str
    purpose: str
    category: VisitCategory
    policy_area: str
    venue: Venue
    duration_minutes: int
    windows: tuple[tuple[datetime, datetime], ...]
    priority: int
    public: bool
    important: bool
    department: str
    mandatory: bool = False
    member_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekCommitment:
    ref: str
    title: str
    purpose: str
    policy_area: str
    venue: Venue
    start: datetime
    end: datetime
    rrule: str | None
    exdates: tuple[date, ...]
    covers_lunch: bool
    public: bool
    important: bool
    department: str


@dataclass(frozen=True)
class SampleWeek:
    monday: date
    requests: tuple[WeekRequest, ...]
    commitments: tuple[WeekCommitment, ...]
    availability: dict[str, tuple[tuple[datetime, datetime], ...]]  # member id → free periods
