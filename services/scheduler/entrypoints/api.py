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
from services.scheduler import handlers
from services.scheduler.commands import (
    ConfirmProposal,
    CreateCommitment,
    CreateVisitRequest,
    ItineraryQuery,
    ProposeDay,
)
from services.scheduler.entrypoints.views import (
    CommitmentOut,
    ConfirmationOut,
    ProposalOut,
    StopOut,
    VisitRequestOut,
    change_out,
    commitment_out,
    proposal_out,
    request_out,
    stop_out,
)
from services.scheduler.planning.model import PlanInfeasible
from services.scheduler.ports import SchedulerPorts

T = TypeVar("T")
CONSOLE = Path(__file__).parent / "console.html"


def build_router(scheduler: SchedulerPorts) -> APIRouter:
    router = APIRouter(tags=["scheduler"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, scheduler.uow(), *args, **kwargs))

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
        status: Annotated[str | None, Query(pattern="^(open|scheduled)$")] = None,
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
        response_model=ProposalOut,
        responses=error_responses(400, 422),
    )
    async def propose(body: ProposeDay, request: Request) -> ProposalOut | JSONResponse:
        """Plan one day; 422 with `conflicts` when fixed commitments clash."""
        try:
            proposal = await handlers.propose_day(
                scheduler.uow(),
                body.plan_date,
                planner=scheduler.planner,
                working_day=scheduler.working_day,
                time_limit=scheduler.time_limit,
                now=_now(),
                correlation_id=correlation_id(request),
            )
        except PlanInfeasible as error:
            return JSONResponse(status_code=422, content=_infeasible(error))
        return proposal_out(proposal)

    @router.get(
        "/api/proposals/{proposal_id}",
        response_model=ProposalOut,
        responses=error_responses(404),
    )
    async def read_proposal(proposal_id: str) -> ProposalOut:
        return proposal_out(await run(handlers.get_proposal, proposal_id))

    @router.post(
        "/api/proposals/{proposal_id}/confirm",
        response_model=ConfirmationOut,
        responses=error_responses(400, 404, 409, 422),
    )
    async def confirm(
        proposal_id: str, request: Request, body: ConfirmProposal | None = None
    ) -> ConfirmationOut:
        """Make a proposal the day's plan; the changed stops are published."""
        confirmation = await run(
            handlers.confirm_proposal,
            proposal_id,
            confirmed_by=(body or ConfirmProposal()).confirmed_by,
            correlation_id=correlation_id(request),
            now=_now(),
        )
        scheduler.relay.kick()
        return ConfirmationOut(
            plan_date=confirmation.plan_date,
            plan_version=confirmation.plan_version,
            proposal_id=confirmation.proposal_id,
            changes=[change_out(c) for c in confirmation.changes],
        )

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
    """The clash in the shared error shape, naming the commitments involved."""
    return error_body(
        "고정 일정끼리 충돌하여 계획을 세울 수 없습니다.",
        conflicts=[
            {
                "constraints": list(c.candidate_ids),
                "reason_code": c.reason_code,
                "reason": c.reason,
            }
            for c in error.conflicts
        ],
    )
