"""The scheduler's tables (all prefixed `scheduler_`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, false
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE
from services.common.outbox import OutboxRecord, unpublished_index

TABLE_PREFIX = "scheduler_"


def _office(primary_key: bool = False) -> Any:
    """The office a row belongs to; every query of the repository is scoped to one."""
    return Field(
        default=DEFAULT_OFFICE,
        primary_key=primary_key,
        index=True,
        sa_column_kwargs={"server_default": DEFAULT_OFFICE},
    )


class VisitRequestRow(SQLModel, table=True):
    __tablename__ = "scheduler_visit_request"

    id: str = Field(primary_key=True)
    office_id: str = _office()
    title: str
    purpose: str
    category: str
    policy_area: str | None = None
    place_name: str
    district: str = Field(index=True)
    latitude: float
    longitude: float
    duration_minutes: int
    windows: list[dict[str, Any]] = Field(sa_type=JSON)
    priority: int
    public: bool
    important: bool
    requesting_department: str
    status: str = Field(index=True)
    created_at: datetime
    mandatory: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    member_ids: list[str] | None = Field(default=None, sa_type=JSON)  # None: no members


class CommitmentRow(SQLModel, table=True):
    __tablename__ = "scheduler_commitment"

    id: str = Field(primary_key=True)
    office_id: str = _office()
    title: str
    purpose: str
    category: str
    policy_area: str | None = None
    place_name: str
    district: str
    latitude: float
    longitude: float
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    requesting_department: str
    recurrence: str
    created_at: datetime
    rrule: str | None = None
    exdates: list[str] | None = Field(default=None, sa_type=JSON)  # ISO Seoul days
    covers_lunch: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    status: str = Field(default="active", index=True, sa_column_kwargs={"server_default": "active"})


class MemberAvailabilityRow(SQLModel, table=True):
    """A council member's availability windows, replaced as a whole (no row: none stored)."""

    __tablename__ = "scheduler_member_availability"

    office_id: str = _office(primary_key=True)
    member_id: str = Field(primary_key=True)
    windows: list[dict[str, Any]] = Field(sa_type=JSON)
    updated_at: datetime


class ProposalRow(SQLModel, table=True):
    __tablename__ = "scheduler_proposal"

    id: str = Field(primary_key=True)
    office_id: str = _office()
    plan_date: date = Field(index=True)
    status: str
    created_at: datetime
    body: dict[str, Any] = Field(sa_type=JSON)
    group_id: str | None = Field(default=None, index=True)  # the range proposal it belongs to


class ItineraryVersionRow(SQLModel, table=True):
    __tablename__ = "scheduler_itinerary_version"

    office_id: str = _office(primary_key=True)
    plan_date: date = Field(primary_key=True)
    version: int = Field(primary_key=True)
    proposal_id: str
    confirmed_by: str
    confirmed_at: datetime


class StopRow(SQLModel, table=True):
    """Current state of each stop; the event log of changes is the outbox."""

    __tablename__ = "scheduler_stop"

    stop_id: str = Field(primary_key=True)
    office_id: str = _office()
    plan_date: date = Field(index=True)
    status: str = Field(index=True)  # "scheduled" | "cancelled"
    version: int
    starts_at: datetime = Field(index=True)
    body: dict[str, Any] = Field(sa_type=JSON)


class SchedulerOutbox(OutboxRecord, table=True):
    __tablename__ = "scheduler_outbox"
    __table_args__ = (unpublished_index("scheduler_outbox"),)
