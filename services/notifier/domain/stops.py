"""What the notifier knows of a stop: a read-only view built from the events it reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from schemas.vocabulary import SEOUL, StopChangeKind

CATEGORY_LABELS: dict[str, str] = {
    "disaster_safety": "재난·안전 현장점검",
    "livelihood": "민생 현장방문",
    "vulnerable_groups": "약자와의 동행 현장방문",
    "groundbreaking": "착공식·기공식",
    "press": "언론 발표",
    "council_meeting": "시의회 간담회",
    "intergovernmental": "지자체 간 협력",
    "district_cooperation": "자치구 협력",
    "fixed_commitment": "고정 일정",
}


@dataclass(frozen=True)
class StopView:
    """One stop of the mayor's itinerary as it now stands (times are tz-aware)."""

    stop_id: str
    version: int
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place_name: str
    district: str
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    change: StopChangeKind
    previous_starts_at: datetime | None = None
    previous_ends_at: datetime | None = None
    cancellation_reason: str | None = None  # Korean, from the scheduler; cancelled stops only
    attendee_ids: tuple[str, ...] = ()  # council members named to attend (e.g. a council meeting)

    def __post_init__(self) -> None:
        if self.change not in StopChangeKind.__members__.values():
            expected = ", ".join(StopChangeKind)
            raise ValueError(f"unknown change {self.change!r}; expected one of {expected}")
        object.__setattr__(self, "change", StopChangeKind(self.change))
        object.__setattr__(self, "attendee_ids", tuple(self.attendee_ids))
        if self.category not in CATEGORY_LABELS:
            raise ValueError(f"unknown category {self.category!r}")
        for field in ("starts_at", "ends_at", "previous_starts_at", "previous_ends_at"):
            value = getattr(self, field)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{field} must be timezone-aware")

    @property
    def cancelled(self) -> bool:
        """True when the stop was removed from the plan."""
        return self.change is StopChangeKind.CANCELLED

    @property
    def category_label(self) -> str:
        """The category in Korean, for notices and feeds."""
        return CATEGORY_LABELS[self.category]


@dataclass(frozen=True)
class TalkingPointView:
    """A talking point from the briefing service, with the report it comes from."""

    heading: str
    text: str
    citation: str | None


def in_seoul(moment: datetime) -> datetime:
    """The same instant on Seoul's wall clock (inputs may be UTC)."""
    return moment.astimezone(SEOUL)
