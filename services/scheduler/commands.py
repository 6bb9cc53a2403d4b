"""What schedulers can ask of the scheduler, validated the same way for HTTP, CLI and loaders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Self

from pydantic import AwareDatetime, BaseModel, Field, field_validator, model_validator

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_DISTRICTS, PolicyArea, VisitCategory


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


class WindowIn(BaseModel):
    start: AwareDatetime = Field(examples=["2026-12-01T10:00:00+09:00"])
    end: AwareDatetime = Field(examples=["2026-12-01T12:00:00+09:00"])

    @model_validator(mode="after")
    def ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("종료 시각이 시작 시각보다 늦어야 합니다.")
        return self


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
    recurrence: str = Field(default="none", pattern="^(none|weekly)$")

    @model_validator(mode="after")
    def ordered(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("종료 시각이 시작 시각보다 늦어야 합니다.")
        return self


class ProposeDay(BaseModel):
    plan_date: date = Field(examples=["2026-12-01"])


class ConfirmProposal(BaseModel):
    confirmed_by: str = Field(default="비서실 일정팀", min_length=1, max_length=100)
