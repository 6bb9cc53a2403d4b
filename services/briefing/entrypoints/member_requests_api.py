"""HTTP routes of the members' requests: record, list, move one step, read one with its history."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from schemas.member_requests import RequestKind, RequestStatus
from schemas.vocabulary import SEOUL
from services.briefing import member_request_handlers as handlers
from services.briefing.commands import RecordMemberRequest, TransitionMemberRequest
from services.briefing.domain.member_requests import STATUS_LABELS, MemberRequest
from services.briefing.ports import BriefingPorts
from services.common.http import correlation_id, error_responses


class StatusChangeOut(BaseModel):
    at: datetime
    by: str
    from_status: RequestStatus | None
    to_status: RequestStatus
    note: str
    department: str | None


class MemberRequestOut(BaseModel):
    id: str
    member_id: str
    member_name: str
    kind: RequestKind
    district: str
    text: str
    stop_id: str | None
    session: str | None
    department: str | None
    due_date: date | None
    status: RequestStatus
    status_label: str = Field(description="The status in Korean.")
    overdue: bool = Field(description="Open and past its due date (Seoul today).")
    action_taken: str | None
    recorded_at: datetime
    history: list[StatusChangeOut]

    @classmethod
    def of(cls, request: MemberRequest, today: date) -> MemberRequestOut:
        return cls(
            id=request.id,
            member_id=request.member_id,
            member_name=request.member_name,
            kind=request.kind,
            district=request.district,
            text=request.text,
            stop_id=request.stop_id,
            session=request.session,
            department=request.department,
            due_date=request.due_date,
            status=request.status,
            status_label=STATUS_LABELS[request.status],
            overdue=request.overdue(today),
            action_taken=request.action_taken,
            recorded_at=request.recorded_at,
            history=[
                StatusChangeOut(
                    at=c.at,
                    by=c.by,
                    from_status=c.from_status,
                    to_status=c.to_status,
                    note=c.note,
                    department=c.department,
                )
                for c in request.history
            ],
        )


def _today() -> date:
    return datetime.now(SEOUL).date()


def build_member_requests_router(ports: BriefingPorts) -> APIRouter:
    router = APIRouter(tags=["member-requests"])

    @router.post(
        "/api/member-requests",
        status_code=201,
        response_model=MemberRequestOut,
        responses=error_responses(400, 422),
    )
    async def record(body: RecordMemberRequest, request: Request) -> MemberRequestOut:
        """Record a member's request or question (status `received`)."""
        recorded = await asyncio.to_thread(
            partial(
                handlers.record_member_request,
                ports.uow(),
                body,
                council=ports.council,
                now=datetime.now(UTC),
                correlation_id=correlation_id(request),
            )
        )
        ports.events_staged()
        return MemberRequestOut.of(recorded, _today())

    @router.get(
        "/api/member-requests",
        response_model=list[MemberRequestOut],
        responses=error_responses(422),
    )
    async def find(
        member_id: Annotated[str | None, Query(max_length=40)] = None,
        district: Annotated[str | None, Query(max_length=20)] = None,
        status: Annotated[list[RequestStatus] | None, Query()] = None,
    ) -> list[MemberRequestOut]:
        """Requests by member, district and status (repeat `status` for several), oldest first."""
        found = await asyncio.to_thread(
            partial(
                handlers.find_member_requests,
                ports.uow(),
                member_id=member_id,
                district=district,
                statuses=status,
            )
        )
        today = _today()
        return [MemberRequestOut.of(r, today) for r in found]

    @router.get(
        "/api/member-requests/{request_id}",
        response_model=MemberRequestOut,
        responses=error_responses(404),
    )
    async def one(request_id: str) -> MemberRequestOut:
        """One request with its whole history."""
        found = await asyncio.to_thread(handlers.get_member_request, ports.uow(), request_id)
        return MemberRequestOut.of(found, _today())

    @router.post(
        "/api/member-requests/{request_id}/transitions",
        response_model=MemberRequestOut,
        responses=error_responses(400, 404, 409, 422),
    )
    async def move(
        request_id: str, body: TransitionMemberRequest, request: Request
    ) -> MemberRequestOut:
        """Route, take in hand or answer (with the action taken) a request."""
        changed = await asyncio.to_thread(
            partial(
                handlers.transition_member_request,
                ports.uow(),
                request_id,
                body,
                now=datetime.now(UTC),
                correlation_id=correlation_id(request),
            )
        )
        ports.events_staged()
        return MemberRequestOut.of(changed, _today())

    return router
