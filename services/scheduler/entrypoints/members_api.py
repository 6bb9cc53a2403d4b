"""HTTP routes for council members' availability: read, replace, clear."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from schemas.vocabulary import SEOUL
from services.common.http import error_responses
from services.scheduler import members
from services.scheduler.domain.availability import MemberAvailability
from services.scheduler.entrypoints.views import WindowOut
from services.scheduler.members import ReplaceAvailability
from services.scheduler.ports import SchedulerPorts

T = TypeVar("T")


class AvailabilityOut(BaseModel):
    """A member's availability as the planner reads it."""

    member_id: str = Field(examples=["m-001"])
    name: str = Field(examples=["강새벽"])
    stored: bool = Field(
        description="False: nothing stored, the member counts as available during working "
        "hours; true: available only inside `windows`."
    )
    windows: list[WindowOut] = Field(description="Seoul times, ordered, merged.")


def availability_out(member_id: str, availability: MemberAvailability | None) -> AvailabilityOut:
    windows = availability.windows if availability is not None else ()
    return AvailabilityOut(
        member_id=member_id,
        name=members.council_member_names()[member_id],
        stored=availability is not None,
        windows=[
            WindowOut(start=w.start.astimezone(SEOUL), end=w.end.astimezone(SEOUL)) for w in windows
        ],
    )


def build_members_router(scheduler: SchedulerPorts) -> APIRouter:
    router = APIRouter(tags=["scheduler"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, scheduler.uow(), *args, **kwargs))

    path = "/api/members/{member_id}/availability"

    @router.get(path, response_model=AvailabilityOut, responses=error_responses(404))
    async def read_availability(member_id: str) -> AvailabilityOut:
        """When the member can attend council meetings the planner places."""
        return availability_out(member_id, await run(members.get_availability, member_id))

    @router.put(path, response_model=AvailabilityOut, responses=error_responses(400, 404, 422))
    async def replace_availability(member_id: str, body: ReplaceAvailability) -> AvailabilityOut:
        """Replace the member's windows; the next proposal plans their meetings inside them."""
        stored = await run(members.replace_availability, member_id, body, now=_now())
        return availability_out(member_id, stored)

    @router.delete(path, status_code=204, response_class=Response, responses=error_responses(404))
    async def clear_availability(member_id: str) -> Response:
        """Forget the member's windows: available during working hours again."""
        await run(members.clear_availability, member_id)
        return Response(status_code=204)

    return router


def _now() -> datetime:
    return datetime.now(SEOUL)
