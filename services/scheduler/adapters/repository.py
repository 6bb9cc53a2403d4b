"""Turns scheduler rows into domain objects and back; the only place with queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session, col, func, select

from services.scheduler.adapters.orm import (
    CommitmentRow,
    ItineraryVersionRow,
    ProposalRow,
    StopRow,
    VisitRequestRow,
)
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.proposals import Proposal
from services.scheduler.domain.requests import SEOUL, Commitment, Place, VisitRequest
from services.scheduler.planning.problem import TimeWindow

_proposal = TypeAdapter(Proposal)
_stop = TypeAdapter(Stop)
_windows = TypeAdapter(tuple[TimeWindow, ...])


class SchedulerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # visit requests
    def add_request(self, request: VisitRequest, created_at: datetime) -> None:
        self.session.add(
            VisitRequestRow(
                id=request.id,
                title=request.title,
                purpose=request.purpose,
                category=request.category,
                policy_area=request.policy_area,
                place_name=request.place.name,
                district=request.place.district,
                latitude=request.place.latitude,
                longitude=request.place.longitude,
                duration_minutes=int(request.duration.total_seconds() // 60),
                windows=_windows.dump_python(request.windows, mode="json"),
                priority=request.priority,
                public=request.public,
                important=request.important,
                requesting_department=request.requesting_department,
                status=request.status,
                created_at=created_at,
            )
        )

    def get_request(self, request_id: str) -> VisitRequest | None:
        row = self.session.get(VisitRequestRow, request_id)
        return _request(row) if row else None

    def list_requests(self, status: str | None = None) -> list[VisitRequest]:
        query = select(VisitRequestRow).order_by(
            col(VisitRequestRow.created_at), col(VisitRequestRow.id)
        )
        if status:
            query = query.where(VisitRequestRow.status == status)
        return [_request(row) for row in self.session.exec(query)]

    def set_request_status(self, request_id: str, status: str) -> None:
        row = self.session.get(VisitRequestRow, request_id)
        if row is not None:
            row.status = status
            self.session.add(row)

    # commitments
    def add_commitment(self, commitment: Commitment, created_at: datetime) -> None:
        self.session.add(
            CommitmentRow(
                id=commitment.id,
                title=commitment.title,
                purpose=commitment.purpose,
                category=commitment.category,
                policy_area=commitment.policy_area,
                place_name=commitment.place.name,
                district=commitment.place.district,
                latitude=commitment.place.latitude,
                longitude=commitment.place.longitude,
                starts_at=commitment.starts_at,
                ends_at=commitment.ends_at,
                public=commitment.public,
                important=commitment.important,
                requesting_department=commitment.requesting_department,
                recurrence=commitment.recurrence,
                created_at=created_at,
            )
        )

    def list_commitments(self) -> list[Commitment]:
        query = select(CommitmentRow).order_by(col(CommitmentRow.starts_at), col(CommitmentRow.id))
        return [_commitment(row) for row in self.session.exec(query)]

    # proposals
    def add_proposal(self, proposal: Proposal) -> None:
        self.session.add(
            ProposalRow(
                id=proposal.id,
                plan_date=proposal.plan_date,
                status=proposal.status,
                created_at=proposal.created_at,
                body=_proposal.dump_python(proposal, mode="json"),
            )
        )

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        row = self.session.get(ProposalRow, proposal_id)
        if row is None:
            return None
        return replace(_proposal.validate_python(row.body), status=row.status)

    def list_proposals(self, plan_date: date) -> list[Proposal]:
        query = (
            select(ProposalRow)
            .where(ProposalRow.plan_date == plan_date)
            .order_by(col(ProposalRow.created_at))
        )
        return [
            replace(_proposal.validate_python(r.body), status=r.status)
            for r in self.session.exec(query)
        ]

    def set_proposal_statuses(self, plan_date: date, confirmed_id: str) -> None:
        """The confirmed proposal wins; the day's other open proposals are superseded."""
        query = select(ProposalRow).where(ProposalRow.plan_date == plan_date)
        for row in self.session.exec(query):
            if row.id == confirmed_id:
                row.status = "confirmed"
            elif row.status == "proposed":
                row.status = "superseded"
            self.session.add(row)

    # itinerary
    def latest_plan_version(self, plan_date: date) -> ItineraryVersionRow | None:
        query = (
            select(ItineraryVersionRow)
            .where(ItineraryVersionRow.plan_date == plan_date)
            .order_by(col(ItineraryVersionRow.version).desc())
            .limit(1)
        )
        return self.session.exec(query).first()

    def add_plan_version(self, row: ItineraryVersionRow) -> None:
        self.session.add(row)

    def stops_on(self, plan_date: date, status: str | None = "scheduled") -> dict[str, Stop]:
        query = select(StopRow).where(StopRow.plan_date == plan_date)
        if status:
            query = query.where(StopRow.status == status)
        return {row.stop_id: _stop.validate_python(row.body) for row in self.session.exec(query)}

    def stop_versions(self, stop_ids: list[str]) -> dict[str, int]:
        if not stop_ids:
            return {}
        query = select(StopRow.stop_id, StopRow.version).where(col(StopRow.stop_id).in_(stop_ids))
        return dict(self.session.exec(query).all())

    def save_stop(self, stop: Stop, status: str) -> None:
        row = self.session.get(StopRow, stop.stop_id)
        fields = dict(
            plan_date=_seoul_date(stop.starts_at),
            status=status,
            version=stop.version,
            starts_at=stop.starts_at,
            body=_stop.dump_python(stop, mode="json"),
        )
        if row is None:
            row = StopRow(stop_id=stop.stop_id, **fields)
        else:
            for name, value in fields.items():
                setattr(row, name, value)
        self.session.add(row)

    def stops_between(self, start: datetime, end: datetime) -> list[tuple[Stop, str]]:
        query = (
            select(StopRow)
            .where(col(StopRow.starts_at) >= start, col(StopRow.starts_at) < end)
            .order_by(col(StopRow.starts_at), col(StopRow.stop_id))
        )
        return [(_stop.validate_python(r.body), r.status) for r in self.session.exec(query)]

    def count_requests(self) -> int:
        return int(self.session.exec(select(func.count()).select_from(VisitRequestRow)).one())


def _seoul_date(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


def _place(row: Any) -> Place:
    return Place(row.place_name, row.district, row.latitude, row.longitude)


def _request(row: VisitRequestRow) -> VisitRequest:
    return VisitRequest(
        id=row.id,
        title=row.title,
        purpose=row.purpose,
        category=row.category,
        policy_area=row.policy_area,
        place=_place(row),
        duration=timedelta(minutes=row.duration_minutes),
        windows=_windows.validate_python(row.windows),
        priority=row.priority,
        public=row.public,
        important=row.important,
        requesting_department=row.requesting_department,
        status=row.status,
    )


def _commitment(row: CommitmentRow) -> Commitment:
    return Commitment(
        id=row.id,
        title=row.title,
        purpose=row.purpose,
        category=row.category,
        policy_area=row.policy_area,
        place=_place(row),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        public=row.public,
        important=row.important,
        requesting_department=row.requesting_department,
        recurrence=row.recurrence,
    )
