"""HTTP routes of the briefing service."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from schemas.briefing import TalkingPoint
from services.briefing import handlers
from services.briefing.bootstrap import BriefingService


class BriefingOut(BaseModel):
    briefing_id: str
    stop_id: str
    stop_version: int
    change: str
    title: str
    summary: str
    talking_points: list[TalkingPoint]
    knowledge_base_version: str
    created_at: datetime


def build_router(service: BriefingService) -> APIRouter:
    router = APIRouter(tags=["briefing"])

    @router.get("/api/briefings/{stop_id}", response_model=list[BriefingOut])
    async def briefings(stop_id: str) -> list[dict[str, Any]]:
        """Talking points for every version of a stop, newest first."""
        return await asyncio.to_thread(handlers.briefings_for_stop, service.uow(), stop_id)

    return router
