"""Events the scheduler publishes."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import PolicyArea, StopChangeKind, VisitCategory


class StopSnapshot(BaseModel):
    """One stop of the mayor's itinerary as confirmed in a given version."""

    stop_id: str = Field(description="Stable id of the stop across plan versions.")
    version: int = Field(ge=1, description="Increases each time this stop changes.")
    kind: str = Field(description="`visit` (from a request) or `commitment` (fixed).")
    title: str = Field(examples=["노원구 특고압 송전선로 지중화사업 착공식"])
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea | None = None
    place_name: str = Field(examples=["월계역 환승주차장"])
    district: str = Field(description="Korean district name, or `서울 외`.", examples=["노원구"])
    latitude: float
    longitude: float
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    public: bool = Field(description="False: the location must not be published beforehand.")
    important: bool = Field(description="Important events also involve the council leadership.")
    requesting_department: str = Field(examples=["도시기반시설본부"])


class StopChange(BaseModel):
    """A stop that was added, moved or removed by a confirmation."""

    change: StopChangeKind
    stop: StopSnapshot = Field(description="The stop now (for `cancelled`: as last confirmed).")
    previous: StopSnapshot | None = Field(
        default=None, description="The stop as previously confirmed, for rescheduled stops."
    )


class ItineraryConfirmed(BaseModel):
    """A scheduler confirmed a plan for one day; carries what changed per stop."""

    itinerary_date: date
    plan_version: int = Field(ge=1, description="Version of this day's confirmed plan.")
    proposal_id: str
    confirmed_by: str
    changes: list[StopChange]
