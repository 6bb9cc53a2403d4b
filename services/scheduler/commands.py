"""What schedulers can ask of the scheduler, validated the same way for HTTP, CLI and loaders.

Dates must be plausible: every visit window, commitment and planned day lies within
[today − 1 year, today + 2 years] (Seoul dates). "Today" is the Seoul date of the clock,
or ``context={"today": date}`` given to ``model_validate`` (loaders and tests). A window or
commitment lies within one Seoul day, and a place's coordinates must agree with its district
(see :mod:`services.sample_data.geography`).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Self

from dateutil.rrule import DAILY, rrulestr
from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL, SEOUL_DISTRICTS, PolicyArea, VisitCategory
from services.sample_data.base import DATA_DIR
from services.sample_data.geography import misplaced
from services.scheduler.domain.requests import Recurrence

MAX_MEMBERS = 50

PAST = timedelta(days=365)
FUTURE = timedelta(days=2 * 365)


def today_of(info: ValidationInfo) -> date:
    """The validation's "today": from the context when given, else the Seoul clock."""
    context = info.context if isinstance(info.context, dict) else {}
    given = context.get("today")
    return given if isinstance(given, date) else datetime.now(SEOUL).date()


def plausible_day(day: date, info: ValidationInfo) -> None:
    """Refuse a day outside [today − 1 year, today + 2 years]; the error names the field."""
    today = today_of(info)
    first, last = today - PAST, today + FUTURE
    if not first <= day <= last:
        raise ValueError(
            f"{day.isoformat()}은(는) 받을 수 있는 기간({first.isoformat()}~"
            f"{last.isoformat()}, 오늘 기준 과거 1년·미래 2년)을 벗어났습니다."
        )


def seoul_day(moment: datetime, info: ValidationInfo) -> date:
    """The Seoul date of a moment, after checking it is plausible (so conversion can't overflow)."""
    plausible_day(moment.date(), info)
    return moment.astimezone(SEOUL).date()


def ends_same_day(end: datetime, start: object, info: ValidationInfo) -> None:
    """Refuse an end not after its start, or on another Seoul day (a window is one day)."""
    seoul_day(end, info)
    if not isinstance(start, datetime):
        return  # the start itself was refused
    if end <= start:
        raise ValueError("종료 시각이 시작 시각보다 늦어야 합니다.")
    first, last = start.astimezone(SEOUL).date(), end.astimezone(SEOUL).date()
    if first != last:
        raise ValueError(
            "시작과 종료가 서울 시간 하루 안에 있어야 합니다 "
            f"(시작 {first.isoformat()}, 종료 {last.isoformat()})."
        )


class PlaceIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["월계역 환승주차장"])
    district: str = Field(examples=["노원구"], description="One of the 25 districts, or `서울 외`.")
    latitude: float = Field(ge=33.0, le=39.0)
    longitude: float = Field(ge=124.0, le=132.0)

    @field_validator("district")
    @classmethod
    def known_district(cls, value: str) -> str:
        if value not in SEOUL_DISTRICTS and value != OUTSIDE_SEOUL:
            raise ValueError(f"알 수 없는 자치구입니다: {value!r} (25개 자치구 또는 '서울 외')")
        return value

    @model_validator(mode="after")
    def where_the_district_is(self) -> Self:
        if problem := misplaced(self.district, self.latitude, self.longitude):
            raise ValueError(problem)
        return self


class WindowIn(BaseModel):
    start: AwareDatetime = Field(examples=["2026-12-01T10:00:00+09:00"])
    end: AwareDatetime = Field(examples=["2026-12-01T12:00:00+09:00"])

    @field_validator("start")
    @classmethod
    def plausible_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        seoul_day(value, info)
        return value

    @field_validator("end")
    @classmethod
    def within_one_day(cls, value: datetime, info: ValidationInfo) -> datetime:
        ends_same_day(value, info.data.get("start"), info)
        return value


class CreateVisitRequest(BaseModel):
    """A field visit or event the mayor is asked to attend."""

    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=2000)
    category: VisitCategory
    policy_area: PolicyArea | None = None
    place: PlaceIn
    duration_minutes: int = Field(ge=10, le=600)
    windows: list[WindowIn] = Field(min_length=1, max_length=10)
    priority: int = Field(ge=1, le=5, description="5 is the most urgent.")
    public: bool = True
    important: bool = False
    requesting_department: str = Field(min_length=1, max_length=100)
    mandatory: bool = Field(
        default=False, description="Must be placed whenever it can be (e.g. a statutory event)."
    )
    member_ids: list[str] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="Council members who must attend (ids of the roster, e.g. `m-001`).",
        examples=[["m-001", "m-002"]],
    )

    @field_validator("member_ids")
    @classmethod
    def known_members(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in council_member_ids()]
        if unknown:
            raise ValueError(f"의원 명단에 없는 의원 id입니다: {', '.join(unknown[:5])}")
        if len(set(value)) != len(value):
            raise ValueError("같은 의원이 두 번 들어 있습니다.")
        return value

    @model_validator(mode="after")
    def fits_some_window(self) -> Self:
        need = timedelta(minutes=self.duration_minutes)
        if not any(w.end - w.start >= need for w in self.windows):
            raise ValueError(
                f"소요시간 {self.duration_minutes}분이 들어갈 수 있는 허용 시간대가 없습니다."
            )
        if self.category == VisitCategory.FIXED_COMMITMENT:
            raise ValueError("고정 일정은 /commitments 로 등록합니다.")
        return self


class CreateCommitment(BaseModel):
    """A fixed commitment: the mayor must be there at that time."""

    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(default="", max_length=2000)
    category: VisitCategory = VisitCategory.FIXED_COMMITMENT
    policy_area: PolicyArea | None = None
    place: PlaceIn
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    public: bool = True
    important: bool = False
    requesting_department: str = Field(default="비서실", max_length=100)
    recurrence: Recurrence = Recurrence.NONE
    rrule: str | None = Field(
        default=None,
        max_length=300,
        description="RFC 5545 recurrence rule from `starts_at` on Seoul wall-clock time "
        "(daily or coarser); wins over `recurrence`.",
        examples=["FREQ=WEEKLY;BYDAY=TU"],
    )
    exdates: list[date] = Field(
        default_factory=list,
        max_length=100,
        description="Seoul days on which a recurring commitment does not happen.",
        examples=[["2026-12-29"]],
    )
    covers_lunch: bool = Field(
        default=False, description="The mayor has lunch during it (a luncheon meeting)."
    )

    @field_validator("exdates")
    @classmethod
    def plausible_exdates(cls, value: list[date], info: ValidationInfo) -> list[date]:
        for day in value:
            plausible_day(day, info)
        return value

    @model_validator(mode="after")
    def readable_rule(self) -> Self:
        if self.rrule is not None:
            if problem := rrule_problem(self.rrule, self.starts_at):
                raise ValueError(problem)
        return self

    @field_validator("starts_at")
    @classmethod
    def plausible_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        seoul_day(value, info)
        return value

    @field_validator("ends_at")
    @classmethod
    def within_one_day(cls, value: datetime, info: ValidationInfo) -> datetime:
        ends_same_day(value, info.data.get("starts_at"), info)
        return value


def rrule_problem(rule: str, start: datetime) -> str | None:
    """Why a recurrence rule is refused (Korean), or None when dateutil reads it as daily+."""
    if "\n" in rule or "\r" in rule or "DTSTART" in rule.upper():
        return "반복 규칙은 RRULE 한 줄만 적습니다 (시작은 starts_at, 예외는 exdates)."
    try:
        parsed = rrulestr(rule, dtstart=start.astimezone(SEOUL).replace(tzinfo=None))
    except (ValueError, TypeError, OverflowError) as error:
        return f"반복 규칙(RRULE)을 읽을 수 없습니다: {error}"
    if getattr(parsed, "_freq", DAILY) > DAILY:
        return "반복 규칙은 하루 한 번 이하(DAILY, WEEKLY, MONTHLY, YEARLY)여야 합니다."
    return None


@lru_cache(maxsize=1)
def council_member_ids() -> frozenset[str]:
    """Ids of the council roster requests may name (the packaged, fictional one)."""
    roster = json.loads((DATA_DIR / "council_roster.json").read_text(encoding="utf-8"))
    return frozenset(m["id"] for m in roster["members"])


MAX_RANGE_DAYS = 14


class ProposeDay(BaseModel):
    """One day (`plan_date`) or a range of 1–14 days (`start`, `end`, inclusive)."""

    plan_date: date | None = Field(default=None, examples=["2026-12-01"])
    start: date | None = Field(default=None, description="First day of a range (Seoul).")
    end: date | None = Field(default=None, description="Last day of a range, inclusive.")
    replan: list[str] = Field(
        default_factory=list,
        max_length=500,
        description=(
            "Confirmed visits (request ids or stop ids) this proposal may move off the plan. "
            "By default a proposal keeps every visit already confirmed on its days (it may "
            "move it within its day); a clash with them is reported as a conflict."
        ),
    )
    replan_all: bool = Field(
        default=False, description="Let the proposal re-plan every confirmed visit of its days."
    )

    @field_validator("plan_date", "start", "end")
    @classmethod
    def plausible(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None:
            plausible_day(value, info)
        return value

    @model_validator(mode="after")
    def one_day_or_a_range(self) -> Self:
        if self.plan_date is not None:
            if self.start is not None or self.end is not None:
                raise ValueError("plan_date와 start/end 중 하나만 주세요.")
            return self
        if self.start is None or self.end is None:
            raise ValueError("plan_date 또는 start와 end를 함께 주세요.")
        if self.end < self.start:
            raise ValueError("end가 start보다 빠릅니다.")
        if (self.end - self.start).days >= MAX_RANGE_DAYS:
            raise ValueError(f"한 번에 {MAX_RANGE_DAYS}일까지 계획할 수 있습니다.")
        return self


class ConfirmProposal(BaseModel):
    confirmed_by: str = Field(default="비서실 일정팀", min_length=1, max_length=100)


#: Reading the itinerary may look further back than planning, but not to absurd years.
QUERY_FIRST_DAY = date(2000, 1, 1)
QUERY_LAST_DAY = date(2100, 12, 31)
MAX_QUERY_DAYS = 93


class ItineraryQuery(BaseModel):
    """Which confirmed stops to list: Seoul days from `start` to `end`, inclusive."""

    start: date = Field(description="First day (Seoul).", examples=["2026-12-01"])
    end: date = Field(description="Last day (Seoul), inclusive.", examples=["2026-12-07"])
    include_cancelled: bool = False

    @field_validator("start", "end")
    @classmethod
    def sane_year(cls, value: date, info: ValidationInfo) -> date:
        if not QUERY_FIRST_DAY <= value <= QUERY_LAST_DAY:
            raise ValueError(
                f"{QUERY_FIRST_DAY.year}~{QUERY_LAST_DAY.year}년 사이의 날짜여야 합니다."
            )
        return value

    @field_validator("end")
    @classmethod
    def after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if isinstance(start, date):
            if value < start:
                raise ValueError("end가 start보다 빠릅니다.")
            if (value - start).days >= MAX_QUERY_DAYS:
                raise ValueError(f"한 번에 {MAX_QUERY_DAYS}일까지 조회할 수 있습니다.")
        return value
