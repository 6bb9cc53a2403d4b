"""HTTP routes of the scheduler: they parse, call a handler, and shape the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from services.common.errors import InvalidInput
from services.common.http import correlation_id
from services.scheduler import handlers
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import (
    ConfirmProposal,
    CreateCommitment,
    CreateVisitRequest,
    ProposeDay,
)
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.proposals import Proposal
from services.scheduler.domain.requests import SEOUL, Commitment, Place, VisitRequest
from services.scheduler.planning.model import PlanInfeasible

T = TypeVar("T")
CONSOLE = Path(__file__).parent / "console.html"


class PlaceOut(BaseModel):
    name: str
    district: str
    latitude: float
    longitude: float


class WindowOut(BaseModel):
    start: datetime
    end: datetime


class VisitRequestOut(BaseModel):
    id: str
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place: PlaceOut
    duration_minutes: int
    windows: list[WindowOut]
    priority: int
    public: bool
    important: bool
    requesting_department: str
    status: str


class CommitmentOut(BaseModel):
    id: str
    title: str
    category: str
    place: PlaceOut
    starts_at: datetime
    ends_at: datetime
    public: bool
    recurrence: str


class StopOut(BaseModel):
    stop_id: str
    version: int
    kind: str
    source_id: str
    title: str
    category: str
    place: PlaceOut
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    status: str = "scheduled"
    arrive_at: datetime | None = None
    travel_minutes: int | None = None


class DroppedOut(BaseModel):
    request_id: str
    title: str
    reason_code: str
    reason: str


class ProposalOut(BaseModel):
    id: str
    plan_date: date
    status: str
    created_at: datetime
    stops: list[StopOut]
    dropped: list[DroppedOut]
    total_value: int
    total_travel_minutes: int
    return_at: datetime
    solver_status: str


class ChangeOut(BaseModel):
    change: str
    stop_id: str
    title: str
    version: int
    starts_at: datetime
    previous_starts_at: datetime | None


class ConfirmationOut(BaseModel):
    plan_date: date
    plan_version: int
    proposal_id: str
    changes: list[ChangeOut]


def build_router(scheduler: Scheduler) -> APIRouter:
    router = APIRouter(tags=["scheduler"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, scheduler.uow(), *args, **kwargs))

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def console() -> str:
        return CONSOLE.read_text(encoding="utf-8")

    @router.post("/api/visit-requests", status_code=201, response_model=VisitRequestOut)
    async def create_visit_request(body: CreateVisitRequest) -> VisitRequestOut:
        request = await run(handlers.create_visit_request, body, now=_now())
        return _request_out(request)

    @router.get("/api/visit-requests", response_model=list[VisitRequestOut])
    async def list_visit_requests(
        status: Annotated[str | None, Query(pattern="^(open|scheduled)$")] = None,
    ) -> list[VisitRequestOut]:
        return [_request_out(r) for r in await run(handlers.list_visit_requests, status)]

    @router.post("/api/commitments", status_code=201, response_model=CommitmentOut)
    async def create_commitment(body: CreateCommitment) -> CommitmentOut:
        return _commitment_out(await run(handlers.create_commitment, body, now=_now()))

    @router.get("/api/commitments", response_model=list[CommitmentOut])
    async def list_commitments() -> list[CommitmentOut]:
        return [_commitment_out(c) for c in await run(handlers.list_commitments)]

    @router.post("/api/proposals", status_code=201, response_model=ProposalOut)
    async def propose(body: ProposeDay) -> ProposalOut | JSONResponse:
        try:
            proposal = await run(
                handlers.propose_day,
                body.plan_date,
                working_day=scheduler.working_day,
                travel=scheduler.travel,
                time_limit=scheduler.time_limit,
                now=_now(),
            )
        except PlanInfeasible as error:
            return JSONResponse(
                status_code=422,
                content={
                    "detail": "고정 일정끼리 충돌하여 계획을 세울 수 없습니다.",
                    "conflicts": [
                        {
                            "constraints": list(c.candidate_ids),
                            "reason_code": c.reason_code,
                            "reason": c.reason,
                        }
                        for c in error.conflicts
                    ],
                },
            )
        return _proposal_out(proposal)

    @router.get("/api/proposals/{proposal_id}", response_model=ProposalOut)
    async def read_proposal(proposal_id: str) -> ProposalOut:
        return _proposal_out(await run(handlers.get_proposal, proposal_id))

    @router.post("/api/proposals/{proposal_id}/confirm", response_model=ConfirmationOut)
    async def confirm(
        proposal_id: str, request: Request, body: ConfirmProposal | None = None
    ) -> ConfirmationOut:
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
            changes=[
                ChangeOut(
                    change=c.change,
                    stop_id=c.stop.stop_id,
                    title=c.stop.title,
                    version=c.stop.version,
                    starts_at=c.stop.starts_at,
                    previous_starts_at=c.previous.starts_at if c.previous else None,
                )
                for c in confirmation.changes
            ],
        )

    @router.get("/api/itinerary", response_model=list[StopOut])
    async def itinerary(
        start: Annotated[date, Query(description="First day (Seoul).")],
        end: Annotated[date, Query(description="Last day (Seoul), inclusive.")],
        include_cancelled: bool = False,
    ) -> list[StopOut]:
        if end < start:
            raise InvalidInput("end", "end가 start보다 빠릅니다.")
        if (end - start).days > 92:
            raise InvalidInput("end", "한 번에 93일까지 조회할 수 있습니다.")
        stops = await run(
            handlers.itinerary_between,
            datetime.combine(start, time.min, SEOUL),
            datetime.combine(end + timedelta(days=1), time.min, SEOUL),
        )
        return [
            _stop_out(stop, status=status)
            for stop, status in stops
            if include_cancelled or status != "cancelled"
        ]

    return router


def _now() -> datetime:
    return datetime.now(SEOUL)


def _place_out(place: Place) -> PlaceOut:
    return PlaceOut(
        name=place.name, district=place.district, latitude=place.latitude, longitude=place.longitude
    )


def _request_out(r: VisitRequest) -> VisitRequestOut:
    return VisitRequestOut(
        id=r.id,
        title=r.title,
        purpose=r.purpose,
        category=r.category,
        policy_area=r.policy_area,
        place=_place_out(r.place),
        duration_minutes=int(r.duration.total_seconds() // 60),
        windows=[WindowOut(start=w.start, end=w.end) for w in r.windows],
        priority=r.priority,
        public=r.public,
        important=r.important,
        requesting_department=r.requesting_department,
        status=r.status,
    )


def _commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.id,
        title=c.title,
        category=c.category,
        place=_place_out(c.place),
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        public=c.public,
        recurrence=c.recurrence,
    )


def _stop_out(stop: Stop, **extra: object) -> StopOut:
    return StopOut(
        stop_id=stop.stop_id,
        version=stop.version,
        kind=stop.kind,
        source_id=stop.source_id,
        title=stop.title,
        category=stop.category,
        place=_place_out(stop.place),
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        public=stop.public,
        important=stop.important,
        **extra,
    )


def _proposal_out(p: Proposal) -> ProposalOut:
    return ProposalOut(
        id=p.id,
        plan_date=p.plan_date,
        status=p.status,
        created_at=p.created_at,
        stops=[
            _stop_out(s.stop, arrive_at=s.arrive_at, travel_minutes=s.travel_minutes)
            for s in p.stops
        ],
        dropped=[DroppedOut(**d.__dict__) for d in p.dropped],
        total_value=p.total_value,
        total_travel_minutes=p.total_travel_minutes,
        return_at=p.return_at,
        solver_status=p.solver_status,
    )
