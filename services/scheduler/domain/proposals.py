"""From requests and commitments to a planning problem, and from a plan to a proposal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from schemas.scheduler import StopKind
from schemas.vocabulary import SEOUL
from services.common.errors import InvalidInput
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    Place,
    RequestStatus,
    VisitRequest,
    value_of,
)
from services.scheduler.planning.model import (
    Candidate,
    DayPlan,
    DayPlanRequest,
    TimeWindow,
)
from services.scheduler.planning.problem import DropReason
from services.scheduler.planning.travel import Location


class ProposalStatus(StrEnum):
    """A proposal waits, becomes the day's plan, or loses to another confirmed one."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class WorkingDay:
    """When the mayor's day may start and must end, and where it starts."""

    start: time
    end: time
    depot: Place


@dataclass(frozen=True)
class DroppedVisit:
    request_id: str
    title: str
    reason_code: DropReason
    reason: str
    mandatory: bool = False  # a mandatory request that could not be placed: act on it


@dataclass(frozen=True)
class ProposedStop:
    stop: Stop
    arrive_at: datetime
    travel_minutes: int


@dataclass(frozen=True)
class Proposal:
    """A candidate itinerary for one day; confirmed or not."""

    id: str
    plan_date: date
    created_at: datetime
    stops: tuple[ProposedStop, ...]
    dropped: tuple[DroppedVisit, ...]
    total_value: int
    total_travel_minutes: int
    return_at: datetime
    solver_status: str
    status: ProposalStatus = ProposalStatus.PROPOSED
    correlation_id: str | None = None  # of the request that asked for it; its events carry it
    group_id: str | None = None  # the range proposal (`pg-…`) this day belongs to, if any


@dataclass(frozen=True)
class PlanningProblem:
    request: DayPlanRequest
    visits: dict[str, VisitRequest]
    commitments: dict[str, tuple[Commitment, datetime, datetime]]

    def value(self, candidate_id: str) -> int:
        """What a placed candidate is worth to people (a mandatory one: its priority's value)."""
        visit = self.visits.get(candidate_id)
        return value_of(visit.priority) if visit else 1


def offered_on(day: date, request: VisitRequest, scheduled_days: Mapping[str, date]) -> bool:
    """Whether the planner may place `request` on `day`.

    Withdrawn requests never are; a request on a confirmed plan only on its own day (so
    re-planning that day may keep or move it) until its stop is cancelled.
    """
    if request.status == RequestStatus.WITHDRAWN:
        return False
    confirmed_day = scheduled_days.get(request.id)
    return confirmed_day is None or confirmed_day == day


def visit_stop_id(request_id: str) -> str:
    return f"stop-{request_id}"


def commitment_stop_id(commitment_id: str, day: date) -> str:
    return f"stop-{commitment_id}-{day.isoformat()}"


def planning_problem(
    day: date,
    requests: Sequence[VisitRequest],
    commitments: Sequence[Commitment],
    working_day: WorkingDay,
    time_limit: timedelta,
    scheduled_days: Mapping[str, date] | None = None,
) -> PlanningProblem:
    """The day's planning problem: requests offered on the day, active commitments on it.

    `scheduled_days` maps request ids to the day their visit is confirmed on. A mandatory
    request is worth more than all optional ones together, so the solver leaves it out
    only when it cannot fit (the proposal then flags it).
    """
    scheduled_days = scheduled_days or {}
    candidates: list[Candidate] = []
    visits: dict[str, VisitRequest] = {}
    fixed: dict[str, tuple[Commitment, datetime, datetime]] = {}
    for commitment in commitments:
        if commitment.status == CommitmentStatus.WITHDRAWN:
            continue
        occurrence = commitment.occurrence_on(day)
        if occurrence is None:
            continue
        start, end = occurrence
        candidate_id = commitment_stop_id(commitment.id, day)
        fixed[candidate_id] = (commitment, start, end)
        candidates.append(
            Candidate(
                id=candidate_id,
                label=commitment.title,
                location=_location(commitment.place),
                duration=end - start,
                windows=(TimeWindow(start, end),),
                value=1,
                fixed=True,
            )
        )
    offered = [
        (r, windows)
        for r in requests
        if offered_on(day, r, scheduled_days) and (windows := r.windows_on(day))
    ]
    must = 1 + sum(value_of(r.priority) for r, _ in offered if not r.mandatory)
    for request, windows in offered:
        candidate_id = visit_stop_id(request.id)
        visits[candidate_id] = request
        candidates.append(
            Candidate(
                id=candidate_id,
                label=request.title,
                location=_location(request.place),
                duration=request.duration,
                windows=windows,
                value=must if request.mandatory else value_of(request.priority),
            )
        )
    plan_request = DayPlanRequest(
        day_start=datetime.combine(day, working_day.start, SEOUL),
        day_end=datetime.combine(day, working_day.end, SEOUL),
        depot=_location(working_day.depot),
        candidates=tuple(candidates),
        time_limit=time_limit,
    )
    return PlanningProblem(plan_request, visits, fixed)


def ensure_day_open(day: date, now: datetime) -> None:
    """A Seoul day that has ended can no longer be planned or confirmed."""
    if day < now.astimezone(SEOUL).date():
        raise InvalidInput(
            "plan_date", f"{day.isoformat()}은(는) 이미 지난 날이라 계획하거나 확정할 수 없습니다."
        )


def proposal_from_plan(
    proposal_id: str,
    day: date,
    problem: PlanningProblem,
    plan: DayPlan,
    now: datetime,
    correlation_id: str | None = None,
) -> Proposal:
    """Name every planned stop and every dropped request for the scheduler to read."""
    stops = tuple(
        ProposedStop(
            stop=_stop_for(planned.candidate_id, problem, planned.start_at, planned.end_at),
            arrive_at=planned.arrive_at,
            travel_minutes=planned.travel_minutes_from_previous,
        )
        for planned in plan.stops
    )
    dropped = tuple(
        _dropped(problem.visits[d.candidate_id], d.reason_code, d.reason)
        for d in plan.dropped
        if d.candidate_id in problem.visits
    )
    return Proposal(
        id=proposal_id,
        plan_date=day,
        created_at=now,
        stops=stops,
        dropped=dropped,
        total_value=sum(problem.value(p.candidate_id) for p in plan.stops),
        total_travel_minutes=plan.total_travel_minutes,
        return_at=plan.return_at,
        solver_status=plan.solver_status,
        correlation_id=correlation_id,
    )


def _dropped(request: VisitRequest, code: DropReason, reason: str) -> DroppedVisit:
    if request.mandatory:
        reason = f"필수 요청이지만 이날 배치하지 못했습니다. {reason}"
    return DroppedVisit(request.id, request.title, code, reason, request.mandatory)


def _stop_for(candidate_id: str, problem: PlanningProblem, start: datetime, end: datetime) -> Stop:
    source: VisitRequest | Commitment
    if candidate_id in problem.commitments:
        source, kind = problem.commitments[candidate_id][0], StopKind.COMMITMENT
    else:
        source, kind = problem.visits[candidate_id], StopKind.VISIT
    return Stop(
        stop_id=candidate_id,
        source_id=source.id,
        kind=kind,
        title=source.title,
        purpose=source.purpose,
        category=source.category,
        policy_area=source.policy_area,
        place=source.place,
        starts_at=start,
        ends_at=end,
        public=source.public,
        important=source.important,
        requesting_department=source.requesting_department,
    )


def _location(place: Place) -> Location:
    return Location(latitude=place.latitude, longitude=place.longitude)
