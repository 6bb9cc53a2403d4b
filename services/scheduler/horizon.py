"""Proposals over a range of days (1–14), confirmed together, one itinerary event per day.

The seam for the week planner is `plan_range`: it turns what is stored into one proposal
per day. Today it solves each day with the day planner in order, and a request placed on an
earlier day of the range is not offered on a later one; the week model replaces its body
with one problem for the whole range, and everything around it stays as it is.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from services.common.errors import NotFound, StateConflict
from services.scheduler.adapters.planners import Planner
from services.scheduler.domain.proposals import (
    Proposal,
    ProposalStatus,
    WorkingDay,
    ensure_day_open,
    planning_problem,
    proposal_from_plan,
)
from services.scheduler.domain.requests import Commitment, VisitRequest
from services.scheduler.handlers import Confirmation, confirm_in, new_id
from services.scheduler.unit_of_work import SchedulerUnitOfWork

MAX_DAYS = 14


@dataclass(frozen=True)
class RangeProposal:
    """Day proposals sharing one id (`pg-…`), first day first."""

    id: str
    start: date
    end: date
    days: tuple[Proposal, ...]


@dataclass(frozen=True)
class Stored:
    """What planning a range reads from the store, once."""

    requests: list[VisitRequest]
    commitments: list[Commitment]
    scheduled_days: dict[str, date]


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


async def propose_range(
    uow: SchedulerUnitOfWork,
    start: date,
    end: date,
    *,
    planner: Planner,
    working_day: WorkingDay,
    time_limit: timedelta,
    now: datetime,
    correlation_id: str | None = None,
) -> RangeProposal:
    """Plan every day from `start` to `end` (inclusive); each request at most once in the range.

    Raises InvalidInput when a day has ended, PlanInfeasible (naming the day's commitments)
    when a day's commitments clash.
    """
    for day in (start, end):
        ensure_day_open(day, now)
    stored = await asyncio.to_thread(_stored, uow)
    group_id = new_id("pg")
    proposals = await plan_range(
        stored,
        days_of(start, end),
        planner=planner,
        working_day=working_day,
        time_limit=time_limit,
        now=now,
        correlation_id=correlation_id or str(uuid.uuid4()),
    )
    proposals = [replace(p, group_id=group_id) for p in proposals]
    await asyncio.to_thread(_add_proposals, uow, proposals)
    return RangeProposal(group_id, start, end, tuple(proposals))


async def plan_range(
    stored: Stored,
    days: list[date],
    *,
    planner: Planner,
    working_day: WorkingDay,
    time_limit: timedelta,
    now: datetime,
    correlation_id: str,
) -> list[Proposal]:
    """One proposal per day; a request placed on one day is not offered on the later ones."""
    taken = dict(stored.scheduled_days)
    proposals = []
    for day in days:
        problem = planning_problem(
            day, stored.requests, stored.commitments, working_day, time_limit, taken
        )
        plan = await planner.plan(problem.request)
        proposal = proposal_from_plan(new_id("pr"), day, problem, plan, now, correlation_id)
        proposals.append(proposal)
        taken |= {p.stop.source_id: day for p in proposal.stops}
    return proposals


def get_range(uow: SchedulerUnitOfWork, group_id: str) -> RangeProposal:
    with uow:
        days = uow.repo.proposals_in_group(group_id)
    if not days:
        raise NotFound("기간 제안", group_id)
    return RangeProposal(group_id, days[0].plan_date, days[-1].plan_date, tuple(days))


def confirm_range(
    uow: SchedulerUnitOfWork,
    group_id: str,
    *,
    confirmed_by: str,
    now: datetime,
    correlation_id: str | None = None,
) -> list[Confirmation]:
    """Confirm every day of a range in one transaction: all days or none.

    Each day that changes publishes its own `itinerary.confirmed`, as a day confirmation does.
    """
    with uow:
        days = uow.repo.proposals_in_group(group_id)
        if not days:
            raise NotFound("기간 제안", group_id)
        if any(p.status != ProposalStatus.PROPOSED for p in days):
            raise StateConflict("이미 처리된 기간 제안입니다. 새로 제안을 받아 주세요.")
        confirmations = [confirm_in(uow, p, confirmed_by, now, correlation_id) for p in days]
        uow.commit()
    return confirmations


def _stored(uow: SchedulerUnitOfWork) -> Stored:
    with uow:
        return Stored(
            uow.repo.list_requests(),
            uow.repo.list_commitments(),
            uow.repo.scheduled_visit_days(),
        )


def _add_proposals(uow: SchedulerUnitOfWork, proposals: list[Proposal]) -> None:
    with uow:
        for proposal in proposals:
            uow.repo.add_proposal(proposal)
        uow.commit()
