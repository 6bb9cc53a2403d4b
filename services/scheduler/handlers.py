"""The scheduler's use cases; HTTP routes, CLI commands and loaders all call these."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from schemas.events import ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed, StopKind
from schemas.vocabulary import StopChangeKind
from services.common.errors import NotFound, StateConflict
from services.scheduler.adapters.events import change_event
from services.scheduler.commands import CreateCommitment, CreateVisitRequest
from services.scheduler.domain.itinerary import (
    PlannedChange,
    PlanVersion,
    PreviewKind,
    Stop,
    StopChange,
    StopStatus,
    cancellation_reason,
    diff_itinerary,
    preview_changes,
)
from services.scheduler.domain.proposals import Proposal, ProposalStatus, ensure_day_open
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    Place,
    RequestStatus,
    VisitRequest,
)
from services.scheduler.domain.staleness import stale_stops
from services.scheduler.planning.problem import TimeWindow
from services.scheduler.unit_of_work import SchedulerUnitOfWork

PRODUCER = "scheduler"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def visit_request_from(command: CreateVisitRequest, request_id: str) -> VisitRequest:
    """The domain request a validated command describes."""
    return VisitRequest(
        id=request_id,
        **_described(command),
        duration=timedelta(minutes=command.duration_minutes),
        windows=tuple(TimeWindow(w.start, w.end) for w in command.windows),
        priority=command.priority,
        mandatory=command.mandatory,
        member_ids=tuple(command.member_ids),
    )


def commitment_from(command: CreateCommitment, commitment_id: str) -> Commitment:
    """The domain commitment a validated command describes."""
    return Commitment(
        id=commitment_id,
        **_described(command),
        starts_at=command.starts_at,
        ends_at=command.ends_at,
        recurrence=command.recurrence,
        rrule=command.rrule,
        exdates=tuple(command.exdates),
        covers_lunch=command.covers_lunch,
    )


def _described(command: CreateVisitRequest | CreateCommitment) -> dict[str, Any]:
    """What requests and commitments share: the fields a stop made of them will carry."""
    return dict(
        title=command.title,
        purpose=command.purpose,
        category=command.category.value,
        policy_area=command.policy_area.value if command.policy_area else None,
        place=Place(
            command.place.name,
            command.place.district,
            command.place.latitude,
            command.place.longitude,
        ),
        public=command.public,
        important=command.important,
        requesting_department=command.requesting_department,
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


def list_visit_requests(
    uow: SchedulerUnitOfWork, status: RequestStatus | str | None = None
) -> list[VisitRequest]:
    with uow:
        return uow.repo.list_requests(RequestStatus(status) if status else None)


def list_commitments(uow: SchedulerUnitOfWork) -> list[Commitment]:
    with uow:
        return uow.repo.list_commitments()


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
    now: datetime,
    correlation_id: str | None = None,
) -> Confirmation:
    """Make a proposal the day's plan and publish what changed for each stop.

    The event carries the correlation id of the request that asked for the proposal
    (`correlation_id` stands in only for proposals stored without one). A proposal
    identical to the confirmed plan changes nothing: no new version, no event.
    """
    with uow:
        proposal = uow.repo.get_proposal(proposal_id)
        if proposal is None:
            raise NotFound("제안", proposal_id)
        confirmation = confirm_in(uow, proposal, confirmed_by, now, correlation_id)
        uow.commit()
    return confirmation


def confirm_in(
    uow: SchedulerUnitOfWork,
    proposal: Proposal,
    confirmed_by: str,
    now: datetime,
    correlation_id: str | None = None,
) -> Confirmation:
    """confirm_proposal inside an open unit of work (the caller commits), for ranges."""
    ensure_day_open(proposal.plan_date, now)
    if proposal.status != ProposalStatus.PROPOSED:
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
    proposed = [p.stop for p in proposal.stops]
    _ensure_still_plannable(uow, proposal.plan_date, proposed)
    confirmed = uow.repo.stops_on(proposal.plan_date)
    versions = uow.repo.stop_versions([s.stop_id for s in proposed])
    changes = [_explained(uow, proposal, c) for c in diff_itinerary(confirmed, proposed, versions)]
    if latest is not None and not changes:
        return Confirmation(latest.plan_date, latest.version, latest.proposal_id, [])

    version = PlanVersion(
        plan_date=proposal.plan_date,
        version=(latest.version if latest else 0) + 1,
        proposal_id=proposal.id,
        confirmed_by=confirmed_by,
        confirmed_at=now,
    )
    for change in changes:
        _apply(uow, change)
    uow.repo.set_proposal_statuses(proposal.plan_date, proposal.id)
    uow.repo.add_plan_version(version)
    payload = ItineraryConfirmed(
        itinerary_date=version.plan_date,
        plan_version=version.version,
        proposal_id=proposal.id,
        confirmed_by=confirmed_by,
        changes=[change_event(c) for c in changes],
    )
    uow.publish(
        ITINERARY_CONFIRMED,
        ITINERARY_CONFIRMED.envelope(
            payload,
            producer=PRODUCER,
            correlation_id=proposal.correlation_id or correlation_id or str(uuid.uuid4()),
            occurred_at=now,
            office_id=uow.office_id,
        ),
    )
    return Confirmation(version.plan_date, version.version, proposal.id, changes)


def itinerary_between(
    uow: SchedulerUnitOfWork, start: datetime, end: datetime
) -> list[tuple[Stop, StopStatus]]:
    with uow:
        return uow.repo.stops_between(start, end)


def _ensure_still_plannable(uow: SchedulerUnitOfWork, day: date, proposed: list[Stop]) -> None:
    stale = stale_stops(
        day,
        proposed,
        uow.repo.get_request,
        uow.repo.get_commitment,
        uow.repo.scheduled_visit_days(),
    )
    if stale:
        raise StateConflict(
            "제안 이후 요청이나 일정이 바뀌어 이 제안을 확정할 수 없습니다. "
            "새로 제안을 받아 주세요.",
            stale,
        )


def previews(
    uow: SchedulerUnitOfWork, proposals: Sequence[Proposal]
) -> dict[str, list[PlannedChange]]:
    """What confirming each proposal would do now to its day's confirmed plan: keep, move,
    cancel (with the reason its notices would give) and add."""
    with uow:
        return {
            p.id: [
                replace(c, reason=_cancel_reason(uow, p, c.stop))
                if c.kind == PreviewKind.CANCEL
                else c
                for c in preview_changes(uow.repo.stops_on(p.plan_date), [s.stop for s in p.stops])
            ]
            for p in proposals
        }


def _explained(uow: SchedulerUnitOfWork, proposal: Proposal, change: StopChange) -> StopChange:
    """A cancellation with its reason: the withdrawal, or why the re-plan left the stop out."""
    if change.change != StopChangeKind.CANCELLED:
        return change
    return replace(change, reason=_cancel_reason(uow, proposal, change.stop))


def _cancel_reason(uow: SchedulerUnitOfWork, proposal: Proposal, stop: Stop) -> str:
    withdrawn: bool
    if stop.kind == StopKind.VISIT:
        request = uow.repo.get_request(stop.source_id)
        withdrawn = request is not None and request.status == RequestStatus.WITHDRAWN
    else:
        commitment = uow.repo.get_commitment(stop.source_id)
        withdrawn = commitment is not None and commitment.status == CommitmentStatus.WITHDRAWN
    dropped = next((d.reason for d in proposal.dropped if d.request_id == stop.source_id), None)
    return cancellation_reason(stop.kind, withdrawn=withdrawn, dropped_reason=dropped)


def _apply(uow: SchedulerUnitOfWork, change: StopChange) -> None:
    cancelled = change.change == StopChangeKind.CANCELLED
    uow.repo.save_stop(change.stop, StopStatus.CANCELLED if cancelled else StopStatus.SCHEDULED)
    if change.stop.kind == StopKind.VISIT:
        request = uow.repo.get_request(change.stop.source_id)
        if request is not None and request.status != RequestStatus.WITHDRAWN:
            uow.repo.set_request_status(
                request.id, RequestStatus.OPEN if cancelled else RequestStatus.SCHEDULED
            )
