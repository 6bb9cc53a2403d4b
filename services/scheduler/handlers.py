"""The scheduler's use cases; HTTP routes, CLI commands and loaders all call these."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from schemas.events import ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed
from services.common.errors import NotFound, StateConflict
from services.scheduler.adapters.events import change_event
from services.scheduler.adapters.orm import ItineraryVersionRow
from services.scheduler.commands import CreateCommitment, CreateVisitRequest, PlaceIn
from services.scheduler.domain.itinerary import Stop, StopChange, diff_itinerary
from services.scheduler.domain.proposals import (
    Proposal,
    WorkingDay,
    planning_problem,
    proposal_from_plan,
    visit_stop_id,
)
from services.scheduler.domain.requests import Commitment, Place, VisitRequest
from services.scheduler.planning.model import plan_day
from services.scheduler.planning.problem import TimeWindow
from services.scheduler.planning.travel import TravelTimeProvider
from services.scheduler.unit_of_work import SchedulerUnitOfWork

PRODUCER = "scheduler"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def visit_request_from(command: CreateVisitRequest, request_id: str) -> VisitRequest:
    """The domain request a validated command describes."""
    return VisitRequest(
        id=request_id,
        title=command.title,
        purpose=command.purpose,
        category=command.category.value,
        policy_area=command.policy_area.value if command.policy_area else None,
        place=_place(command.place),
        duration=timedelta(minutes=command.duration_minutes),
        windows=tuple(TimeWindow(w.start, w.end) for w in command.windows),
        priority=command.priority,
        public=command.public,
        important=command.important,
        requesting_department=command.requesting_department,
    )


def commitment_from(command: CreateCommitment, commitment_id: str) -> Commitment:
    """The domain commitment a validated command describes."""
    return Commitment(
        id=commitment_id,
        title=command.title,
        purpose=command.purpose,
        category=command.category.value,
        policy_area=command.policy_area.value if command.policy_area else None,
        place=_place(command.place),
        starts_at=command.starts_at,
        ends_at=command.ends_at,
        public=command.public,
        important=command.important,
        requesting_department=command.requesting_department,
        recurrence=command.recurrence,
    )


def create_visit_request(
    uow: SchedulerUnitOfWork, command: CreateVisitRequest, now: datetime
) -> VisitRequest:
    request = visit_request_from(command, new_id("vr"))
    with uow:
        uow.repo.add_request(request, now)
        uow.commit()
    return request


def create_commitment(
    uow: SchedulerUnitOfWork, command: CreateCommitment, now: datetime
) -> Commitment:
    commitment = commitment_from(command, new_id("cm"))
    with uow:
        uow.repo.add_commitment(commitment, now)
        uow.commit()
    return commitment


def list_visit_requests(uow: SchedulerUnitOfWork, status: str | None = None) -> list[VisitRequest]:
    with uow:
        return uow.repo.list_requests(status)


def list_commitments(uow: SchedulerUnitOfWork) -> list[Commitment]:
    with uow:
        return uow.repo.list_commitments()


def propose_day(
    uow: SchedulerUnitOfWork,
    day: date,
    *,
    working_day: WorkingDay,
    travel: TravelTimeProvider,
    time_limit: timedelta,
    now: datetime,
) -> Proposal:
    """Plan one day from open requests, those already on that day, and commitments.

    Raises PlanInfeasible (with the conflicting constraints) when commitments clash.
    """
    with uow:
        on_day = uow.repo.stops_on(day)
        requests = [
            r
            for r in uow.repo.list_requests()
            if r.status == "open" or visit_stop_id(r.id) in on_day
        ]
        commitments = uow.repo.list_commitments()
    problem = planning_problem(day, requests, commitments, working_day, time_limit)
    plan = plan_day(problem.request, travel)
    proposal = proposal_from_plan(new_id("pr"), day, problem, plan, now)
    with uow:
        uow.repo.add_proposal(proposal)
        uow.commit()
    return proposal


def get_proposal(uow: SchedulerUnitOfWork, proposal_id: str) -> Proposal:
    with uow:
        proposal = uow.repo.get_proposal(proposal_id)
    if proposal is None:
        raise NotFound("제안", proposal_id)
    return proposal


@dataclass(frozen=True)
class Confirmation:
    plan_date: date
    plan_version: int
    proposal_id: str
    changes: list[StopChange]


def confirm_proposal(
    uow: SchedulerUnitOfWork,
    proposal_id: str,
    *,
    confirmed_by: str,
    correlation_id: str,
    now: datetime,
) -> Confirmation:
    """Make a proposal the day's plan and publish what changed for each stop."""
    with uow:
        proposal = uow.repo.get_proposal(proposal_id)
        if proposal is None:
            raise NotFound("제안", proposal_id)
        if proposal.status != "proposed":
            raise StateConflict(f"이미 처리된 제안입니다 (상태: {proposal.status}).")
        latest = uow.repo.latest_plan_version(proposal.plan_date)
        if latest is not None and latest.confirmed_at > proposal.created_at:
            raise StateConflict(
                "이 제안 이후에 다른 계획이 확정되었습니다. 새로 제안을 받아 주세요.",
                [
                    {
                        "confirmed_version": latest.version,
                        "confirmed_at": latest.confirmed_at.isoformat(),
                    }
                ],
            )
        confirmed = uow.repo.stops_on(proposal.plan_date)
        proposed = [p.stop for p in proposal.stops]
        versions = uow.repo.stop_versions([s.stop_id for s in proposed])
        changes = diff_itinerary(confirmed, proposed, versions)
        plan_version = (latest.version if latest else 0) + 1

        for change in changes:
            _apply(uow, change)
        uow.repo.set_proposal_statuses(proposal.plan_date, proposal.id)
        uow.repo.add_plan_version(
            ItineraryVersionRow(
                plan_date=proposal.plan_date,
                version=plan_version,
                proposal_id=proposal.id,
                confirmed_by=confirmed_by,
                confirmed_at=now,
            )
        )
        payload = ItineraryConfirmed(
            itinerary_date=proposal.plan_date,
            plan_version=plan_version,
            proposal_id=proposal.id,
            confirmed_by=confirmed_by,
            changes=[change_event(c) for c in changes],
        )
        uow.publish(
            ITINERARY_CONFIRMED,
            ITINERARY_CONFIRMED.envelope(
                payload, producer=PRODUCER, correlation_id=correlation_id, occurred_at=now
            ),
        )
        uow.commit()
    return Confirmation(proposal.plan_date, plan_version, proposal.id, changes)


def itinerary_between(
    uow: SchedulerUnitOfWork, start: datetime, end: datetime
) -> list[tuple[Stop, str]]:
    with uow:
        return uow.repo.stops_between(start, end)


def _apply(uow: SchedulerUnitOfWork, change: StopChange) -> None:
    status = "cancelled" if change.change == "cancelled" else "scheduled"
    uow.repo.save_stop(change.stop, status)
    if change.stop.kind == "visit":
        uow.repo.set_request_status(
            change.stop.source_id, "open" if status == "cancelled" else "scheduled"
        )


def _place(place: PlaceIn) -> Place:
    return Place(place.name, place.district, place.latitude, place.longitude)
