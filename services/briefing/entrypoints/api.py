"""HTTP routes of the briefing service."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from schemas.briefing import TalkingPoint
from schemas.vocabulary import StopChangeKind
from services.briefing import handlers
from services.briefing.adapters.events import point_event
from services.briefing.domain.talking_points import StoredBriefing
from services.briefing.ports import BriefingPorts
from services.common.http import error_responses


class BriefingOut(BaseModel):
    briefing_id: str
    stop_id: str
    stop_version: int
    change: StopChangeKind
    title: str
    summary: str
    talking_points: list[TalkingPoint]
    knowledge_base_version: str
    created_at: datetime

    @classmethod
    def of(cls, stored: StoredBriefing) -> BriefingOut:
        briefing = stored.briefing
        return cls(
            briefing_id=stored.id,
            stop_id=briefing.stop_id,
            stop_version=briefing.stop_version,
            change=stored.change,
            title=stored.title,
            summary=briefing.summary,
            talking_points=[point_event(p) for p in briefing.talking_points],
            knowledge_base_version=briefing.knowledge_base_version,
            created_at=stored.created_at,
        )


def build_router(ports: BriefingPorts) -> APIRouter:
    router = APIRouter(tags=["briefing"])

    @router.get(
        "/api/briefings/{stop_id}",
        response_model=list[BriefingOut],
        responses=error_responses(404),
    )
    async def briefings(stop_id: str) -> list[BriefingOut]:
        """Talking points for every version of a stop, newest first."""
        stored = await asyncio.to_thread(handlers.briefings_for_stop, ports.uow(), stop_id)
        return [BriefingOut.of(s) for s in stored]

    return router
