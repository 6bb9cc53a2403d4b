"""HTTP routes that correct requests and commitments: read one, edit, withdraw, delete."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from fastapi import APIRouter, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from schemas.vocabulary import SEOUL
from services.common.http import error_responses
from services.scheduler import corrections
from services.scheduler.entrypoints.views import (
    CommitmentOut,
    VisitRequestOut,
    commitment_out,
    request_out,
)
from services.scheduler.patches import CommitmentPatch, VisitRequestPatch
from services.scheduler.ports import SchedulerPorts

T = TypeVar("T")


def build_corrections_router(scheduler: SchedulerPorts) -> APIRouter:
    router = APIRouter(tags=["scheduler"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, scheduler.uow(), *args, **kwargs))

    @router.get(
        "/api/visit-requests/{request_id}",
        response_model=VisitRequestOut,
        responses=error_responses(404),
    )
    async def read_visit_request(request_id: str) -> VisitRequestOut:
        return request_out(await run(corrections.get_visit_request, request_id))

    @router.patch(
        "/api/visit-requests/{request_id}",
        response_model=VisitRequestOut,
        responses=error_responses(400, 404, 409, 422),
    )
    async def edit_visit_request(request_id: str, body: VisitRequestPatch) -> VisitRequestOut:
        """Change any subset of fields, validated as on create; re-confirm a day to publish it."""
        edited = await validated(run(corrections.edit_visit_request, request_id, body, now=_now()))
        return request_out(edited)

    @router.post(
        "/api/visit-requests/{request_id}/withdraw",
        response_model=VisitRequestOut,
        responses=error_responses(404),
    )
    async def withdraw_visit_request(request_id: str) -> VisitRequestOut:
        """Withdraw: kept for history, never planned again; its confirmed stop is cancelled
        at the next confirmation of its day."""
        return request_out(await run(corrections.withdraw_visit_request, request_id, now=_now()))

    @router.delete(
        "/api/visit-requests/{request_id}",
        status_code=204,
        response_class=Response,
        responses=error_responses(404, 409),
    )
    async def delete_visit_request(request_id: str) -> Response:
        """Delete a request never confirmed; 409 (withdraw instead) once it was."""
        await run(corrections.delete_visit_request, request_id)
        return Response(status_code=204)

    @router.get(
        "/api/commitments/{commitment_id}",
        response_model=CommitmentOut,
        responses=error_responses(404),
    )
    async def read_commitment(commitment_id: str) -> CommitmentOut:
        return commitment_out(await run(corrections.get_commitment, commitment_id))

    @router.patch(
        "/api/commitments/{commitment_id}",
        response_model=CommitmentOut,
        responses=error_responses(400, 404, 409, 422),
    )
    async def edit_commitment(commitment_id: str, body: CommitmentPatch) -> CommitmentOut:
        """Change any subset of fields, validated as on create."""
        edited = await validated(run(corrections.edit_commitment, commitment_id, body, now=_now()))
        return commitment_out(edited)

    @router.post(
        "/api/commitments/{commitment_id}/withdraw",
        response_model=CommitmentOut,
        responses=error_responses(404),
    )
    async def withdraw_commitment(commitment_id: str) -> CommitmentOut:
        """Withdraw: kept for history, no longer planned; confirmed days drop it when
        re-confirmed."""
        return commitment_out(await run(corrections.withdraw_commitment, commitment_id, now=_now()))

    @router.delete(
        "/api/commitments/{commitment_id}",
        status_code=204,
        response_class=Response,
        responses=error_responses(404, 409),
    )
    async def delete_commitment(commitment_id: str) -> Response:
        """Delete a commitment none of whose occurrences was confirmed; 409 otherwise."""
        await run(corrections.delete_commitment, commitment_id)
        return Response(status_code=204)

    return router


async def validated(work: Awaitable[T]) -> T:
    """A merged patch that fails validation answers 422 naming each field, as a create does."""
    try:
        return await work
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None


def _now() -> datetime:
    return datetime.now(SEOUL)
