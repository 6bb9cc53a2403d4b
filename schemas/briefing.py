"""Events the briefing service publishes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from schemas.scheduler import StopChange


class Citation(BaseModel):
    """Where a talking point comes from."""

    document_id: str
    document_title: str
    report_date: date
    section: str
    excerpt: str


class TalkingPoint(BaseModel):
    heading: str = Field(examples=["관련 현황"])
    text: str
    citation: Citation | None = Field(
        default=None, description="None only for points taken from the stop itself."
    )


class BriefingReady(BaseModel):
    """Talking points for one version of one stop are stored and ready."""

    briefing_id: str
    stop_change: StopChange = Field(description="The change the briefing was built for.")
    summary: str
    talking_points: list[TalkingPoint]
    knowledge_base_version: str
