"""HTTP routes of the scheduler: they parse, call a handler, and shape the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from schemas.vocabulary import SEOUL
from services.common.http import correlation_id, error_body, error_responses
from services.scheduler import handlers, horizon
from services.scheduler.commands import (
    ConfirmProposal,
    CreateCommitment,
    CreateVisitRequest,
    ItineraryQuery,
    ProposeDay,
)
from services.scheduler.domain.proposals import Proposal, Replan, request_id_of
from services.scheduler.entrypoints.corrections_api import build_corrections_router
from services.scheduler.entrypoints.members_api import build_members_router
from services.scheduler.entrypoints.views import (
    CommitmentOut,
    ConfirmationOut,
    ProposalOut,
    RangeConfirmationOut,
    RangeProposalOut,
    StopOut,
    VisitRequestOut,
    commitment_out,
    confirmation_out,
    proposal_out,
    range_out,
    request_out,
    stop_out,
)
from services.scheduler.horizon import RangeProposal
from services.scheduler.planning.problem import PlanInfeasible
from services.scheduler.ports import SchedulerPorts

T = TypeVar("T")
CONSOLE = Path(__file__).parent / "console.html"
RANGE_PREFIX = "pg-"


def build_router(scheduler: SchedulerPorts) -> APIRouter:
    router = APIRouter(tags=["scheduler"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, scheduler.uow(), *args, **kwargs))

    async def day_out(day: Proposal) -> ProposalOut:
        """A day proposal with what confirming it would now change."""
        return proposal_out(day, (await run(handlers.previews, [day]))[day.id])

    async def days_out(days: RangeProposal) -> RangeProposalOut:
        return range_out(days, await run(handlers.previews, days.days))

    router.include_router(build_corrections_router(scheduler))
    router.include_router(build_members_router(scheduler))

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def console() -> str:
        return CONSOLE.read_text(encoding="utf-8")

    @router.post(
        "/api/visit-requests",
        status_code=201,
        response_model=VisitRequestOut,
        responses=error_responses(400, 422),
    )
    async def create_visit_request(body: CreateVisitRequest) -> VisitRequestOut:
        """Register a visit request; the planner considers it while it is open."""
        return request_out(await run(handlers.create_visit_request, body, now=_now()))

    @router.get(
        "/api/visit-requests",
        response_model=list[VisitRequestOut],
        responses=error_responses(422),
    )
    async def list_visit_requests(
        status: Annotated[str | None, Query(pattern="^(open|scheduled|withdrawn)$")] = None,
    ) -> list[VisitRequestOut]:
        return [request_out(r) for r in await run(handlers.list_visit_requests, status)]

    @router.post(
        "/api/commitments",
        status_code=201,
        response_model=CommitmentOut,
        responses=error_responses(400, 422),
    )
    async def create_commitment(body: CreateCommitment) -> CommitmentOut:
        """Register a fixed commitment the mayor must attend."""
        return commitment_out(await run(handlers.create_commitment, body, now=_now()))

    @router.get("/api/commitments", response_model=list[CommitmentOut])
    async def list_commitments() -> list[CommitmentOut]:
        return [commitment_out(c) for c in await run(handlers.list_commitments)]

    @router.post(
        "/api/proposals",
        status_code=201,
        response_model=ProposalOut | RangeProposalOut,
        responses=error_responses(400, 422),
    )
    async def propose(
        body: ProposeDay, request: Request
    ) -> ProposalOut | RangeProposalOut | JSONResponse:
        """Plan one day (`plan_date`) or 1–14 days (`start`, `end`) in the week model; 422
        with `conflicts` naming the mandatory items that cannot all be kept."""
        common: dict[str, Any] = dict(
            planner=scheduler.planner,
            working_day=scheduler.working_day,
            budget=scheduler.budget,
            rules=scheduler.day_rules,
            now=_now(),
            correlation_id=correlation_id(request),
            replan=Replan(body.replan_all, frozenset(request_id_of(i) for i in body.replan)),
        )
        try:
            if body.plan_date is not None:
                return await day_out(
                    await horizon.propose_day(scheduler.uow(), body.plan_date, **common)
                )
            assert body.start is not None and body.end is not None  # validated
            days = await horizon.propose_range(scheduler.uow(), body.start, body.end, **common)
        except PlanInfeasible as error:
            return JSONResponse(status_code=422, content=_infeasible(error))
        return await days_out(days)

    @router.get(
        "/api/proposals/{proposal_id}",
        response_model=ProposalOut | RangeProposalOut,
        responses=error_responses(404),
    )
    async def read_proposal(proposal_id: str) -> ProposalOut | RangeProposalOut:
        """A day proposal (`pr-…`) or a range proposal (`pg-…`)."""
        if proposal_id.startswith(RANGE_PREFIX):
            return await days_out(await run(horizon.get_range, proposal_id))
        return await day_out(await run(handlers.get_proposal, proposal_id))

    @router.post(
        "/api/proposals/{proposal_id}/confirm",
        response_model=ConfirmationOut | RangeConfirmationOut,
        responses=error_responses(400, 404, 409, 422),
    )
    async def confirm(
        proposal_id: str, request: Request, body: ConfirmProposal | None = None
    ) -> ConfirmationOut | RangeConfirmationOut:
        """Make a proposal the plan of its day(s); the changed stops are published, per day."""
        options: dict[str, Any] = dict(
            confirmed_by=(body or ConfirmProposal()).confirmed_by,
            correlation_id=correlation_id(request),
            now=_now(),
        )
        if proposal_id.startswith(RANGE_PREFIX):
            days = await run(horizon.confirm_range, proposal_id, **options)
            scheduler.relay.kick()
            return RangeConfirmationOut(
                proposal_id=proposal_id, days=[confirmation_out(c) for c in days]
            )
        confirmation = await run(handlers.confirm_proposal, proposal_id, **options)
        scheduler.relay.kick()
        return confirmation_out(confirmation)

    @router.get(
        "/api/itinerary",
        response_model=list[StopOut],
        responses=error_responses(422),
    )
    async def itinerary(query: Annotated[ItineraryQuery, Query()]) -> list[StopOut]:
        """Confirmed stops between two Seoul days, inclusive (at most 93 days)."""
        stops = await run(
            handlers.itinerary_between,
            datetime.combine(query.start, time.min, SEOUL),
            datetime.combine(query.end + timedelta(days=1), time.min, SEOUL),
        )
        return [
            stop_out(stop, status=status)
            for stop, status in stops
            if query.include_cancelled or status != "cancelled"
        ]

    return router


def _now() -> datetime:
    return datetime.now(SEOUL)


def _infeasible(error: PlanInfeasible) -> dict[str, Any]:
    """The clash in the shared error shape, naming the mandatory items involved."""
    return error_body(
        "필수 일정(고정 일정, 필수 요청)끼리 충돌하여 계획을 세울 수 없습니다.",
        conflicts=[
            {
                "constraints": list(c.candidate_ids),
                "reason_code": c.reason_code,
                "reason": c.reason,
            }
            for c in error.conflicts
        ],
    )
