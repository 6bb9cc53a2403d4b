"""Turns scheduler rows into domain objects and back; the only place with queries.

A repository serves one office: it writes that office's id on every row it adds and
reads only that office's rows.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from schemas.envelope import DEFAULT_OFFICE
from schemas.vocabulary import SEOUL
from services.scheduler.adapters.orm import (
    CommitmentRow,
    ItineraryVersionRow,
    ProposalRow,
    StopRow,
    VisitRequestRow,
)
from services.scheduler.domain.itinerary import PlanVersion, Stop, StopStatus
from services.scheduler.domain.proposals import Proposal, ProposalStatus
from services.scheduler.domain.requests import (
    Commitment,
    Place,
    Recurrence,
    RequestStatus,
    VisitRequest,
)
from services.scheduler.planning.problem import TimeWindow

_proposal = TypeAdapter(Proposal)
_stop = TypeAdapter(Stop)
_windows = TypeAdapter(tuple[TimeWindow, ...])


class SchedulerRepository:
    def __init__(self, session: Session, office_id: str = DEFAULT_OFFICE) -> None:
        self.session = session
        self.office_id = office_id

    # visit requests
    def add_request(self, request: VisitRequest, created_at: datetime) -> None:
        self.session.add(
            VisitRequestRow(
                id=request.id,
                office_id=self.office_id,
                **_described_columns(request),
                duration_minutes=int(request.duration.total_seconds() // 60),
                windows=_windows.dump_python(request.windows, mode="json"),
                priority=request.priority,
                status=request.status,
                created_at=created_at,
            )
        )

    def list_requests(self, status: RequestStatus | None = None) -> list[VisitRequest]:
        query = (
            select(VisitRequestRow)
            .where(VisitRequestRow.office_id == self.office_id)
            .order_by(col(VisitRequestRow.created_at), col(VisitRequestRow.id))
        )
        if status:
            query = query.where(VisitRequestRow.status == status)
        return [_request(row) for row in self.session.exec(query)]

    def set_request_status(self, request_id: str, status: RequestStatus) -> None:
        row = self._mine(self.session.get(VisitRequestRow, request_id))
        if row is not None:
            row.status = status
            self.session.add(row)

    # commitments
    def add_commitment(self, commitment: Commitment, created_at: datetime) -> None:
        self.session.add(
            CommitmentRow(
                id=commitment.id,
                office_id=self.office_id,
                **_described_columns(commitment),
                starts_at=commitment.starts_at,
                ends_at=commitment.ends_at,
                recurrence=commitment.recurrence,
                created_at=created_at,
            )
        )

    def list_commitments(self) -> list[Commitment]:
        query = (
            select(CommitmentRow)
            .where(CommitmentRow.office_id == self.office_id)
            .order_by(col(CommitmentRow.starts_at), col(CommitmentRow.id))
        )
        return [_commitment(row) for row in self.session.exec(query)]

    # proposals
    def add_proposal(self, proposal: Proposal) -> None:
        self.session.add(
            ProposalRow(
                id=proposal.id,
                office_id=self.office_id,
                plan_date=proposal.plan_date,
                status=proposal.status,
                created_at=proposal.created_at,
                body=_proposal.dump_python(proposal, mode="json"),
            )
        )

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        row = self._mine(self.session.get(ProposalRow, proposal_id))
        if row is None:
            return None
        return replace(_proposal.validate_python(row.body), status=ProposalStatus(row.status))

    def set_proposal_statuses(self, plan_date: date, confirmed_id: str) -> None:
        """The confirmed proposal wins; the day's other open proposals are superseded."""
        query = select(ProposalRow).where(
            ProposalRow.office_id == self.office_id, ProposalRow.plan_date == plan_date
        )
        for row in self.session.exec(query):
            if row.id == confirmed_id:
                row.status = ProposalStatus.CONFIRMED
            elif row.status == ProposalStatus.PROPOSED:
                row.status = ProposalStatus.SUPERSEDED
            self.session.add(row)

    # itinerary
    def latest_plan_version(self, plan_date: date) -> PlanVersion | None:
        query = (
            select(ItineraryVersionRow)
            .where(
                ItineraryVersionRow.office_id == self.office_id,
                ItineraryVersionRow.plan_date == plan_date,
            )
            .order_by(col(ItineraryVersionRow.version).desc())
            .limit(1)
        )
        row = self.session.exec(query).first()
        return PlanVersion(**row.model_dump(exclude={"office_id"})) if row else None

    def add_plan_version(self, version: PlanVersion) -> None:
        self.session.add(ItineraryVersionRow(office_id=self.office_id, **asdict(version)))

    def stops_on(
        self, plan_date: date, status: StopStatus | None = StopStatus.SCHEDULED
    ) -> dict[str, Stop]:
        query = select(StopRow).where(
            StopRow.office_id == self.office_id, StopRow.plan_date == plan_date
        )
        if status:
            query = query.where(StopRow.status == status)
        return {row.stop_id: _stop.validate_python(row.body) for row in self.session.exec(query)}

    def stop_versions(self, stop_ids: list[str]) -> dict[str, int]:
        if not stop_ids:
            return {}
        query = select(StopRow.stop_id, StopRow.version).where(
            StopRow.office_id == self.office_id, col(StopRow.stop_id).in_(stop_ids)
        )
        return dict(self.session.exec(query).all())

    def save_stop(self, stop: Stop, status: StopStatus) -> None:
        row = self._mine(self.session.get(StopRow, stop.stop_id))
        fields = dict(
            plan_date=_seoul_date(stop.starts_at),
            status=status,
            version=stop.version,
            starts_at=stop.starts_at,
            body=_stop.dump_python(stop, mode="json"),
        )
        if row is None:
            row = StopRow(stop_id=stop.stop_id, office_id=self.office_id, **fields)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
        self.session.add(row)

    def stops_between(self, start: datetime, end: datetime) -> list[tuple[Stop, StopStatus]]:
        query = (
            select(StopRow)
            .where(
                StopRow.office_id == self.office_id,
                col(StopRow.starts_at) >= start,
                col(StopRow.starts_at) < end,
            )
            .order_by(col(StopRow.starts_at), col(StopRow.stop_id))
        )
        return [
            (_stop.validate_python(r.body), StopStatus(r.status)) for r in self.session.exec(query)
        ]

    def _mine(self, row: Any) -> Any:
        """A row fetched by id, or None when it belongs to another office."""
        return row if row is not None and row.office_id == self.office_id else None


def _seoul_date(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


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


def _request(row: VisitRequestRow) -> VisitRequest:
    return VisitRequest(
        **_described_fields(row),
        duration=timedelta(minutes=row.duration_minutes),
        windows=_windows.validate_python(row.windows),
        priority=row.priority,
        status=RequestStatus(row.status),
    )


def _commitment(row: CommitmentRow) -> Commitment:
    return Commitment(
        **_described_fields(row),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        recurrence=Recurrence(row.recurrence),
    )
