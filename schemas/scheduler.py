"""Events the scheduler publishes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import PolicyArea, StopChangeKind, VisitCategory


class StopKind(StrEnum):
    """Where a stop comes from: a visit request the planner placed, or a fixed commitment."""

    VISIT = "visit"
    COMMITMENT = "commitment"


class StopSnapshot(BaseModel):
    """One stop of the mayor's itinerary as confirmed in a given version."""

    stop_id: str = Field(
        description="Stable id of the stop across plan versions; the Kafka key of its briefing.",
        examples=["stop-vr-3f2a9c1d7e41"],
    )
    version: int = Field(
        ge=1,
        description="Increases each time this stop changes; consumers keep the highest.",
        examples=[1],
    )
    kind: StopKind = Field(
        description="`visit` (placed by the planner from a request) or `commitment` (fixed).",
        examples=[StopKind.VISIT],
    )
    title: str = Field(
        description="Short Korean title shown in notices and calendars.",
        examples=["노원구 특고압 송전선로 지중화사업 착공식"],
    )
    purpose: str = Field(
        description="Why the mayor goes (Korean); the briefing builds its talking points on it.",
        examples=["지중화 사업 착공을 알리고 주민 불편 최소화를 약속"],
    )
    category: VisitCategory = Field(
        description="Kind of stop from the secretariat's reports.", examples=["groundbreaking"]
    )
    policy_area: PolicyArea | None = Field(
        default=None,
        description="Policy area, if any; picks the council standing committee to notify.",
        examples=["urban_planning"],
    )
    place_name: str = Field(description="Name of the venue.", examples=["월계역 환승주차장"])
    district: str = Field(
        description="Korean district (자치구) name, or `서울 외` outside Seoul; picks the "
        "district's council members.",
        examples=["노원구"],
    )
    latitude: float = Field(description="WGS 84 latitude of the venue.", examples=[37.6331])
    longitude: float = Field(description="WGS 84 longitude of the venue.", examples=[127.0587])
    starts_at: AwareDatetime = Field(
        description="When the stop begins (time-zone aware).",
        examples=["2026-12-01T10:00:00+09:00"],
    )
    ends_at: AwareDatetime = Field(
        description="When the stop ends (time-zone aware).", examples=["2026-12-01T11:00:00+09:00"]
    )
    public: bool = Field(
        description="False: the location must not be published beforehand (public feed "
        "shows only the district until it has taken place).",
        examples=[True],
    )
    important: bool = Field(
        description="Important events also involve the council leadership.", examples=[False]
    )
    requesting_department: str = Field(
        description="City department that asked for the stop.", examples=["도시기반시설본부"]
    )
    attendee_ids: list[str] = Field(
        default_factory=list,
        description="Council members who must attend (the request's `member_ids`, e.g. a "
        "council meeting's attendees); they are told of the stop. Empty for commitments, "
        "stops without named attendees and producers that predate it.",
        examples=[["m-001", "m-014"]],
    )


class StopChange(BaseModel):
    """A stop that was added, moved or removed by a confirmation."""

    change: StopChangeKind = Field(
        description="`scheduled` (new), `rescheduled` (time, place or content changed) or "
        "`cancelled` (no longer on the plan).",
        examples=["scheduled"],
    )
    stop: StopSnapshot = Field(description="The stop now (for `cancelled`: as last confirmed).")
    previous: StopSnapshot | None = Field(
        default=None, description="The stop as previously confirmed, for rescheduled stops."
    )
    reason: str | None = Field(
        default=None,
        description="Why the stop was cancelled, in Korean (for `cancelled` only; None from "
        "producers that predate it): `요청 철회`/`일정 철회` when the request or commitment was "
        "withdrawn, else the planner's reason for leaving it out of the re-plan.",
        examples=["요청 철회", "재계획으로 제외"],
    )


class ItineraryConfirmed(BaseModel):
    """A scheduler confirmed a plan for one day; carries what changed per stop."""

    itinerary_date: date = Field(
        description="The Seoul calendar day the plan is for; the event's Kafka key.",
        examples=["2026-12-01"],
    )
    plan_version: int = Field(
        ge=1, description="Version of this day's confirmed plan (1, 2, …).", examples=[1]
    )
    proposal_id: str = Field(
        description="The proposal that was confirmed.", examples=["pr-8b1c0e5d2a97"]
    )
    confirmed_by: str = Field(
        description="Who confirmed it (a person or team of the secretariat).",
        examples=["비서실 일정팀"],
    )
    changes: list[StopChange] = Field(
        description="Only the stops that changed since the previous version, in time order; "
        "a confirmation that changes nothing publishes no event."
    )
