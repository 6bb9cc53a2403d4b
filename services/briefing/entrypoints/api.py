"""HTTP routes of the briefing service."""

from __future__ import annotations

import asyncio
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from schemas.briefing import TalkingPoint
from schemas.vocabulary import StopChangeKind
from services.briefing import handlers
from services.briefing.adapters.events import point_event
from services.briefing.domain.talking_points import StoredBriefing
from services.briefing.entrypoints.documents_api import build_documents_router
from services.briefing.entrypoints.member_requests_api import build_member_requests_router
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
    briefing_version: int | None = Field(default=None, description="None before documents.")
    withdrawn: bool = False
    changes_since_last: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, stored: StoredBriefing) -> BriefingOut:
        briefing, document = stored.briefing, stored.document
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
            briefing_version=document.briefing_version if document else None,
            withdrawn=document.withdrawn if document else False,
            changes_since_last=list(document.changes_since_last) if document else [],
        )


def build_router(ports: BriefingPorts) -> APIRouter:
    router = APIRouter(tags=["briefing"])
    # Before `/api/briefings/{stop_id}`, which would otherwise take `stop-1.md` as an id.
    router.include_router(build_documents_router(ports))

    @router.get(
        "/api/briefings/{stop_id}",
        response_model=list[BriefingOut],
        responses=error_responses(404),
    )
    async def briefings(stop_id: str) -> list[BriefingOut]:
        """Talking points for every version of a stop, newest first."""
        stored = await asyncio.to_thread(handlers.briefings_for_stop, ports.uow(), stop_id)
        return [BriefingOut.of(s) for s in stored]

    router.include_router(build_member_requests_router(ports))
    return router
