"""Every proposal, of one day or of a range (1–14 days), is planned by the week model.

`plan_range` turns what is stored into one week-planner problem for the whole range
(domain/week_problem.py), solves it in ONE optimisation in the planner's worker process,
and reads the plan back as one proposal per day: the stops at the times the solver
computed, the day's lunch, each left-out request with the week planner's reason. A
request is placed at most once in the range because the model has one optional node per
request. A day proposal is a range of one day, stored without a group.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from services.common.errors import NotFound, StateConflict
from services.scheduler.adapters.planners import Planner
from services.scheduler.domain.availability import MemberAvailability
from services.scheduler.domain.proposals import (
    KEEP_CONFIRMED,
    Proposal,
    ProposalStatus,
    Replan,
    WorkingDay,
    ensure_day_open,
    kept_visits,
)
from services.scheduler.domain.requests import Commitment, VisitRequest
from services.scheduler.domain.week_problem import (
    DayRules,
    WeekProblem,
    proposals_from_plan,
    week_problem,
)
from services.scheduler.handlers import Confirmation, confirm_in, new_id
from services.scheduler.members import council_member_names
from services.scheduler.planning.problem import Conflict, PlanInfeasible
from services.scheduler.settings import SchedulerSettings
from services.scheduler.unit_of_work import SchedulerUnitOfWork

MAX_DAYS = 14


@dataclass(frozen=True)
class SearchBudget:
    """How long one proposal may search: `per_day` for each of its days, at most `cap`.

    Guided local search runs until its limit, so a proposal costs its budget; the cap
    keeps a long range answerable while a person waits (bench/RESULTS.md: a week reaches
    the value of a 60 s search well within it).
    """

    per_day: timedelta
    cap: timedelta

    def for_days(self, count: int) -> timedelta:
        return min(self.per_day * count, self.cap)


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
    availability: dict[str, MemberAvailability] = field(default_factory=dict)
    member_names: dict[str, str] = field(default_factory=dict)  # the council roster


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


async def propose_day(
    uow: SchedulerUnitOfWork,
    day: date,
    *,
    planner: Planner,
    working_day: WorkingDay,
    budget: SearchBudget,
    now: datetime,
    correlation_id: str | None = None,
    rules: DayRules | None = None,
    replan: Replan = KEEP_CONFIRMED,
) -> Proposal:
    """Plan one day as a range of one: open requests, those already on it, commitments.

    The database is used from threads and the solve is the planner's, so the event loop
    stays free. `correlation_id` is the asking request's; the confirmation reuses it.
    Visits already confirmed on the day are kept unless `replan` releases them.
    Raises InvalidInput for a day that has ended, PlanInfeasible (naming the smallest
    conflicting set of mandatory items, confirmed visits among them) when they cannot all
    be kept.
    """
    ensure_day_open(day, now)
    stored = await asyncio.to_thread(_stored, uow)
    [proposal] = await plan_range(
        stored,
        [day],
        planner=planner,
        working_day=working_day,
        budget=budget,
        now=now,
        correlation_id=correlation_id or str(uuid.uuid4()),
        rules=rules or DayRules(),
        replan=replan,
    )
    await asyncio.to_thread(_add_proposals, uow, [proposal])
    return proposal


async def propose_range(
    uow: SchedulerUnitOfWork,
    start: date,
    end: date,
    *,
    planner: Planner,
    working_day: WorkingDay,
    budget: SearchBudget,
    now: datetime,
    correlation_id: str | None = None,
    rules: DayRules | None = None,
    replan: Replan = KEEP_CONFIRMED,
) -> RangeProposal:
    """Plan every day from `start` to `end` (inclusive); each request at most once in the range.

    Visits already confirmed on these days are kept unless `replan` releases them.
    Raises InvalidInput when a day has ended, PlanInfeasible (naming the smallest
    conflicting set of mandatory items) when they cannot all be kept.
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
        budget=budget,
        now=now,
        correlation_id=correlation_id or str(uuid.uuid4()),
        rules=rules or DayRules(),
        replan=replan,
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
    budget: SearchBudget,
    now: datetime,
    correlation_id: str,
    rules: DayRules,
    replan: Replan = KEEP_CONFIRMED,
) -> list[Proposal]:
    """One proposal per day from one optimisation over the range, searched for the budget."""
    kept = kept_visits(days, stored.scheduled_days, replan)
    week = week_problem(
        days,
        stored.requests,
        stored.commitments,
        working_day,
        rules,
        stored.scheduled_days,
        stored.availability,
        stored.member_names,
        kept,
    )
    plan = await planner.plan_week(week.problem, budget.for_days(len(days)))
    if not plan.days:
        raise PlanInfeasible(tuple(_conflict(week, ids) for ids in plan.conflicts))
    ids = [new_id("pr") for _ in days]
    return proposals_from_plan(week, plan, ids, now, correlation_id)


def search_budget(settings: SchedulerSettings) -> SearchBudget:
    """The search time of a proposal, from settings."""
    return SearchBudget(
        per_day=timedelta(seconds=settings.solver_time_limit_seconds),
        cap=timedelta(seconds=settings.solver_proposal_limit_seconds),
    )


def day_rules(settings: SchedulerSettings) -> DayRules:
    """Lunch and the visit limit of every planned day, from settings."""
    return DayRules(
        lunch_earliest_start=settings.lunch_earliest_start,
        lunch_latest_end=settings.lunch_latest_end,
        lunch_minutes=settings.lunch_minutes,
        max_visits=settings.max_visits_per_day,
    )


def _conflict(week: WeekProblem, ids: list[str]) -> Conflict:
    """Mandatory items that cannot all be kept, named by their titles; a confirmed visit
    among them is marked, with how to let the planner re-plan it."""
    titles = {r.id: r.title for r in week.problem.requests}
    titles |= {c.id: c.title for c in week.problem.commitments}
    titles |= {i: f"{titles[i]}(확정된 방문)" for i in week.kept if i in titles}
    named = [
        f"{titles.get(i.rsplit('@', 1)[0], i)}({i.rsplit('@', 1)[1]})"
        if "@" in i
        else titles.get(i, i)
        for i in ids
    ]
    reason = f"필수 일정을 함께 지킬 수 없습니다: {', '.join(named)}."
    confirmed = [i for i in ids if i in week.kept]
    if confirmed:
        reason += (
            " 확정된 방문을 다시 계획해도 된다면 replan에 그 요청 id를 넣어 다시 제안받으세요: "
            f"{', '.join(confirmed)}."
        )
    return Conflict(tuple(ids), "mandatory_conflict", reason)


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
            uow.repo.all_availability(),
            council_member_names(),
        )


def _add_proposals(uow: SchedulerUnitOfWork, proposals: list[Proposal]) -> None:
    with uow:
        for proposal in proposals:
            uow.repo.add_proposal(proposal)
        uow.commit()
