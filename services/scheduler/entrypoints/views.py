"""What the scheduler's API answers: output models and the mapping from domain objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from pydantic import BaseModel, Field

from services.scheduler.domain.itinerary import PlannedChange, Stop, StopChange
from services.scheduler.domain.proposals import Proposal, ProposedLunch
from services.scheduler.domain.requests import Commitment, Place, VisitRequest
from services.scheduler.handlers import Confirmation
from services.scheduler.horizon import RangeProposal


class PlaceOut(BaseModel):
    name: str
    district: str
    latitude: float
    longitude: float


class WindowOut(BaseModel):
    start: datetime
    end: datetime


class VisitRequestOut(BaseModel):
    id: str
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place: PlaceOut
    duration_minutes: int
    windows: list[WindowOut]
    priority: int
    public: bool
    important: bool
    requesting_department: str
    status: str
    mandatory: bool = False
    member_ids: list[str] = []


class CommitmentOut(BaseModel):
    id: str
    title: str
    purpose: str = ""
    category: str
    policy_area: str | None = None
    place: PlaceOut
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool = False
    requesting_department: str = ""
    recurrence: str
    rrule: str | None = None
    exdates: list[date] = []
    covers_lunch: bool = False
    status: str = "active"


class StopOut(BaseModel):
    stop_id: str
    version: int
    kind: str
    source_id: str
    title: str
    category: str
    place: PlaceOut
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    status: str = "scheduled"
    arrive_at: datetime | None = None
    travel_minutes: int | None = None
    attendee_ids: list[str] = Field(
        default_factory=list, description="Council members who must attend (the request's)."
    )


class DroppedOut(BaseModel):
    request_id: str
    title: str
    reason_code: str
    reason: str
    mandatory: bool = False


class LunchOut(BaseModel):
    """The day's lunch as planned: shown with the stops, not a stop (never confirmed)."""

    title: str = Field(description="Always 점심.", examples=["점심"])
    starts_at: datetime
    ends_at: datetime
    place: PlaceOut = Field(description="Where it is taken: the previous stop's place.")


class ProposalOut(BaseModel):
    id: str
    plan_date: date
    status: str
    created_at: datetime
    stops: list[StopOut]
    dropped: list[DroppedOut]
    total_value: int
    total_travel_minutes: int
    return_at: datetime
    solver_status: str
    lunch: LunchOut | None = Field(
        default=None, description="The day's lunch; null when a commitment covers it."
    )
    changes: list[PreviewOut] = Field(
        description=(
            "What confirming it now would do to the day's confirmed plan: keep, move, "
            "cancel and add, in time order (every stop is `add` on a day with no plan)."
        )
    )


class PreviewOut(BaseModel):
    """One line of what confirming the proposal would do to the day's confirmed plan."""

    change: str = Field(description="keep, move, cancel or add.")
    stop_id: str
    title: str
    starts_at: datetime = Field(description="As proposed; as confirmed for a cancellation.")
    ends_at: datetime
    previous_starts_at: datetime | None = Field(
        default=None, description="The confirmed start of a kept or moved stop."
    )
    reason: str | None = Field(default=None, description="Why a cancelled stop would go.")


class RangeProposalOut(BaseModel):
    """A proposal over several days: one day proposal each, confirmed together by `id`."""

    id: str
    start: date
    end: date
    days: list[ProposalOut]
    total_value: int
    total_travel_minutes: int


class ChangeOut(BaseModel):
    change: str
    stop_id: str
    title: str
    version: int
    starts_at: datetime
    previous_starts_at: datetime | None


class ConfirmationOut(BaseModel):
    plan_date: date
    plan_version: int
    proposal_id: str
    changes: list[ChangeOut]


class RangeConfirmationOut(BaseModel):
    """Each day of a confirmed range; every day that changed published its own event."""

    proposal_id: str
    days: list[ConfirmationOut]


def place_out(place: Place) -> PlaceOut:
    return PlaceOut(
        name=place.name, district=place.district, latitude=place.latitude, longitude=place.longitude
    )


def request_out(r: VisitRequest) -> VisitRequestOut:
    return VisitRequestOut(
        id=r.id,
        title=r.title,
        purpose=r.purpose,
        category=r.category,
        policy_area=r.policy_area,
        place=place_out(r.place),
        duration_minutes=int(r.duration.total_seconds() // 60),
        windows=[WindowOut(start=w.start, end=w.end) for w in r.windows],
        priority=r.priority,
        public=r.public,
        important=r.important,
        requesting_department=r.requesting_department,
        status=r.status,
        mandatory=r.mandatory,
        member_ids=list(r.member_ids),
    )


def commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.id,
        title=c.title,
        purpose=c.purpose,
        category=c.category,
        policy_area=c.policy_area,
        place=place_out(c.place),
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        public=c.public,
        important=c.important,
        requesting_department=c.requesting_department,
        recurrence=c.recurrence,
        rrule=c.rrule,
        exdates=list(c.exdates),
        covers_lunch=c.covers_lunch,
        status=c.status,
    )


def stop_out(stop: Stop, **extra: object) -> StopOut:
    return StopOut(
        stop_id=stop.stop_id,
        version=stop.version,
        kind=stop.kind,
        source_id=stop.source_id,
        title=stop.title,
        category=stop.category,
        place=place_out(stop.place),
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        public=stop.public,
        important=stop.important,
        attendee_ids=list(stop.attendee_ids),
        **extra,
    )


def proposal_out(p: Proposal, preview: Sequence[PlannedChange]) -> ProposalOut:
    return ProposalOut(
        id=p.id,
        plan_date=p.plan_date,
        status=p.status,
        created_at=p.created_at,
        stops=[
            stop_out(s.stop, arrive_at=s.arrive_at, travel_minutes=s.travel_minutes)
            for s in p.stops
        ],
        dropped=[DroppedOut(**d.__dict__) for d in p.dropped],
        total_value=p.total_value,
        total_travel_minutes=p.total_travel_minutes,
        return_at=p.return_at,
        solver_status=p.solver_status,
        lunch=lunch_out(p.lunch) if p.lunch else None,
        changes=[preview_out(c) for c in preview],
    )


def preview_out(c: PlannedChange) -> PreviewOut:
    return PreviewOut(
        change=c.kind,
        stop_id=c.stop.stop_id,
        title=c.stop.title,
        starts_at=c.stop.starts_at,
        ends_at=c.stop.ends_at,
        previous_starts_at=c.previous.starts_at if c.previous else None,
        reason=c.reason,
    )


def lunch_out(lunch: ProposedLunch) -> LunchOut:
    return LunchOut(
        title=lunch.title,
        starts_at=lunch.starts_at,
        ends_at=lunch.ends_at,
        place=place_out(lunch.place),
    )


def range_out(
    r: RangeProposal, previews: Mapping[str, Sequence[PlannedChange]]
) -> RangeProposalOut:
    days = [proposal_out(p, previews[p.id]) for p in r.days]
    return RangeProposalOut(
        id=r.id,
        start=r.start,
        end=r.end,
        days=days,
        total_value=sum(d.total_value for d in days),
        total_travel_minutes=sum(d.total_travel_minutes for d in days),
    )


def confirmation_out(c: Confirmation) -> ConfirmationOut:
    return ConfirmationOut(
        plan_date=c.plan_date,
        plan_version=c.plan_version,
        proposal_id=c.proposal_id,
        changes=[change_out(change) for change in c.changes],
    )


def change_out(change: StopChange) -> ChangeOut:
    return ChangeOut(
        change=change.change,
        stop_id=change.stop.stop_id,
        title=change.stop.title,
        version=change.stop.version,
        starts_at=change.stop.starts_at,
        previous_starts_at=change.previous.starts_at if change.previous else None,
    )
