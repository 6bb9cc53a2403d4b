"""Turns scheduler rows into domain objects and back; the only place with queries.

A repository serves one office: it writes that office's id on every row it adds and
reads only that office's rows.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from schemas.envelope import DEFAULT_OFFICE
from schemas.vocabulary import SEOUL
from services.scheduler.adapters.mappers import (
    availability_columns,
    availability_from_row,
    commitment_columns,
    commitment_of,
    request_columns,
    request_of,
)
from services.scheduler.adapters.orm import (
    CommitmentRow,
    ItineraryVersionRow,
    MemberAvailabilityRow,
    ProposalRow,
    StopRow,
    VisitRequestRow,
)
from services.scheduler.domain.availability import MemberAvailability
from services.scheduler.domain.itinerary import PlanVersion, Stop, StopStatus
from services.scheduler.domain.proposals import Proposal, ProposalStatus
from services.scheduler.domain.requests import (
    Commitment,
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
                created_at=created_at,
                **request_columns(request),
            )
        )

    def get_request(self, request_id: str) -> VisitRequest | None:
        row = self._mine(self.session.get(VisitRequestRow, request_id))
        return request_of(row) if row is not None else None

    def update_request(self, request: VisitRequest) -> None:
        """Overwrite a stored request's fields (its id and creation time stay)."""
        row = self._mine(self.session.get(VisitRequestRow, request.id))
        if row is None:
            raise KeyError(request.id)
        for name, value in request_columns(request).items():
            setattr(row, name, value)
        self.session.add(row)

    def delete_request(self, request_id: str) -> None:
        row = self._mine(self.session.get(VisitRequestRow, request_id))
        if row is not None:
            self.session.delete(row)

    def scheduled_visit_days(self) -> dict[str, date]:
        """Request id → the Seoul day its visit is on a confirmed plan (scheduled stops only)."""
        query = select(StopRow).where(
            StopRow.office_id == self.office_id, StopRow.status == StopStatus.SCHEDULED
        )
        return {
            row.body["source_id"]: row.plan_date
            for row in self.session.exec(query)
            if row.body.get("kind") == "visit"
        }

    def list_requests(self, status: RequestStatus | None = None) -> list[VisitRequest]:
        query = (
            select(VisitRequestRow)
            .where(VisitRequestRow.office_id == self.office_id)
            .order_by(col(VisitRequestRow.created_at), col(VisitRequestRow.id))
        )
        if status:
            query = query.where(VisitRequestRow.status == status)
        return [request_of(row) for row in self.session.exec(query)]

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
                created_at=created_at,
                **commitment_columns(commitment),
            )
        )

    def get_commitment(self, commitment_id: str) -> Commitment | None:
        row = self._mine(self.session.get(CommitmentRow, commitment_id))
        return commitment_of(row) if row is not None else None

    def update_commitment(self, commitment: Commitment) -> None:
        row = self._mine(self.session.get(CommitmentRow, commitment.id))
        if row is None:
            raise KeyError(commitment.id)
        for name, value in commitment_columns(commitment).items():
            setattr(row, name, value)
        self.session.add(row)

    def delete_commitment(self, commitment_id: str) -> None:
        row = self._mine(self.session.get(CommitmentRow, commitment_id))
        if row is not None:
            self.session.delete(row)

    def list_commitments(self) -> list[Commitment]:
        query = (
            select(CommitmentRow)
            .where(CommitmentRow.office_id == self.office_id)
            .order_by(col(CommitmentRow.starts_at), col(CommitmentRow.id))
        )
        return [commitment_of(row) for row in self.session.exec(query)]

    # council members' availability
    def availability(self, member_id: str) -> MemberAvailability | None:
        """The member's stored windows, or None when nothing is stored for them."""
        row = self.session.get(MemberAvailabilityRow, (self.office_id, member_id))
        return availability_from_row(row) if row is not None else None

    def all_availability(self) -> dict[str, MemberAvailability]:
        """Member id → stored windows, for every member with something stored."""
        query = select(MemberAvailabilityRow).where(
            MemberAvailabilityRow.office_id == self.office_id
        )
        return {row.member_id: availability_from_row(row) for row in self.session.exec(query)}

    def replace_availability(self, availability: MemberAvailability, now: datetime) -> None:
        """Store the member's windows in place of whatever was stored."""
        key = (self.office_id, availability.member_id)
        row = self.session.get(MemberAvailabilityRow, key)
        if row is None:
            row = MemberAvailabilityRow(
                office_id=self.office_id,
                member_id=availability.member_id,
                updated_at=now,
                **availability_columns(availability),
            )
        else:
            row.windows = availability_columns(availability)["windows"]
            row.updated_at = now
        self.session.add(row)

    def delete_availability(self, member_id: str) -> None:
        row = self.session.get(MemberAvailabilityRow, (self.office_id, member_id))
        if row is not None:
            self.session.delete(row)

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
                group_id=proposal.group_id,
            )
        )

    def proposals_in_group(self, group_id: str) -> list[Proposal]:
        """The day proposals of a range proposal, first day first."""
        query = (
            select(ProposalRow)
            .where(ProposalRow.office_id == self.office_id, ProposalRow.group_id == group_id)
            .order_by(col(ProposalRow.plan_date))
        )
        return [
            replace(_proposal.validate_python(row.body), status=ProposalStatus(row.status))
            for row in self.session.exec(query)
        ]

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

    def has_stops(self, stop_id: str, *, prefix: bool = False) -> bool:
        """Whether any stop (scheduled or cancelled) with this id, or id prefix, was confirmed."""
        column = col(StopRow.stop_id)
        match = column.startswith(stop_id, autoescape=True) if prefix else column == stop_id
        query = select(StopRow.stop_id).where(StopRow.office_id == self.office_id, match)
        return self.session.exec(query.limit(1)).first() is not None

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
