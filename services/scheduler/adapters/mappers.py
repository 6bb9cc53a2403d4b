"""Request, commitment and availability rows to domain objects and back (the repository's
translations)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import TypeAdapter

from services.scheduler.adapters.orm import CommitmentRow, MemberAvailabilityRow, VisitRequestRow
from services.scheduler.domain.availability import MemberAvailability
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    Place,
    Recurrence,
    RequestStatus,
    VisitRequest,
)
from services.scheduler.planning.problem import TimeWindow

_windows = TypeAdapter(tuple[TimeWindow, ...])


def _described_columns(item: VisitRequest | Commitment) -> dict[str, Any]:
    """The columns requests and commitments share: what a stop made of them will say."""
    return dict(
        title=item.title,
        purpose=item.purpose,
        category=item.category,
        policy_area=item.policy_area,
        place_name=item.place.name,
        district=item.place.district,
        latitude=item.place.latitude,
        longitude=item.place.longitude,
        public=item.public,
        important=item.important,
        requesting_department=item.requesting_department,
    )


def request_columns(request: VisitRequest) -> dict[str, Any]:
    return dict(
        **_described_columns(request),
        duration_minutes=int(request.duration.total_seconds() // 60),
        windows=_windows.dump_python(request.windows, mode="json"),
        priority=request.priority,
        status=request.status,
        mandatory=request.mandatory,
        member_ids=list(request.member_ids) or None,
    )


def commitment_columns(commitment: Commitment) -> dict[str, Any]:
    return dict(
        **_described_columns(commitment),
        starts_at=commitment.starts_at,
        ends_at=commitment.ends_at,
        recurrence=commitment.recurrence,
        rrule=commitment.rrule,
        exdates=[d.isoformat() for d in commitment.exdates] or None,
        covers_lunch=commitment.covers_lunch,
        status=commitment.status,
    )


def _described_fields(row: VisitRequestRow | CommitmentRow) -> dict[str, Any]:
    """The reverse of _described_columns."""
    return dict(
        id=row.id,
        title=row.title,
        purpose=row.purpose,
        category=row.category,
        policy_area=row.policy_area,
        place=Place(row.place_name, row.district, row.latitude, row.longitude),
        public=row.public,
        important=row.important,
        requesting_department=row.requesting_department,
    )


def request_of(row: VisitRequestRow) -> VisitRequest:
    return VisitRequest(
        **_described_fields(row),
        duration=timedelta(minutes=row.duration_minutes),
        windows=_windows.validate_python(row.windows),
        priority=row.priority,
        status=RequestStatus(row.status),
        mandatory=row.mandatory,
        member_ids=tuple(row.member_ids or ()),
    )


def commitment_of(row: CommitmentRow) -> Commitment:
    return Commitment(
        **_described_fields(row),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        recurrence=Recurrence(row.recurrence),
        rrule=row.rrule,
        exdates=tuple(date.fromisoformat(d) for d in row.exdates or ()),
        covers_lunch=row.covers_lunch,
        status=CommitmentStatus(row.status),
    )


def availability_columns(availability: MemberAvailability) -> dict[str, Any]:
    return dict(windows=_windows.dump_python(availability.windows, mode="json"))


def availability_from_row(row: MemberAvailabilityRow) -> MemberAvailability:
    return MemberAvailability(row.member_id, _windows.validate_python(row.windows))
