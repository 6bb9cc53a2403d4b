"""Events the briefing service publishes.

`briefing.ready` carries its own snapshot of the stop (`BriefedStop`), so its readers depend
on the briefing's contract only, not on the scheduler's.
"""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import PolicyArea, StopChangeKind, VisitCategory


class Citation(BaseModel):
    """Where a talking point comes from: one passage of one work report."""

    document_id: str = Field(description="Id of the report in the knowledge base.")
    document_title: str = Field(
        description="Title of the report.", examples=["2022년 시장 비서실 주요업무 보고"]
    )
    report_date: date = Field(description="Date of the report.")
    section: str = Field(description="Section of the report the passage is in.")
    excerpt: str = Field(description="The passage, verbatim.")


class TalkingPoint(BaseModel):
    """One point of a briefing, with the report it cites."""

    heading: str = Field(description="Short heading.", examples=["관련 현황: 송전선로 지중화"])
    text: str = Field(description="The point itself, in Korean.")
    citation: Citation | None = Field(
        default=None, description="None only for points taken from the stop itself."
    )


class BriefedStop(BaseModel):
    """One version of one stop, as the briefing was built for it."""

    stop_id: str = Field(description="Stable id of the stop across plan versions.")
    version: int = Field(ge=1, description="Version of the stop this snapshot shows.")
    title: str = Field(examples=["노원구 특고압 송전선로 지중화사업 착공식"])
    purpose: str = Field(description="Why the mayor goes.", examples=["공사 착수 격려"])
    category: VisitCategory = Field(description="What kind of stop this is.")
    policy_area: PolicyArea | None = Field(
        default=None, description="Policy area; decides the standing committee to inform."
    )
    place_name: str = Field(examples=["월계역 환승주차장"])
    district: str = Field(description="Korean district name, or `서울 외`.", examples=["노원구"])
    starts_at: AwareDatetime = Field(description="Start (UTC).")
    ends_at: AwareDatetime = Field(description="End (UTC).")
    public: bool = Field(description="False: the location must not be published beforehand.")
    important: bool = Field(description="Important events also involve the council leadership.")
    requesting_department: str = Field(
        description="Department that asked for the stop.", examples=["도시기반시설본부"]
    )
    attendee_ids: list[str] = Field(
        default_factory=list,
        description="Council members who must attend, as the scheduler named them (a council "
        "meeting's attendees are told of it); empty when none were named.",
        examples=[["m-001", "m-014"]],
    )


class BriefingReady(BaseModel):
    """Talking points for one version of one stop are stored and ready."""

    briefing_id: str = Field(description="Id of the stored briefing.", examples=["br-3f2a9c1d0e4b"])
    change: StopChangeKind = Field(description="What the confirmation did to the stop.")
    stop: BriefedStop = Field(description="The stop now (for `cancelled`: as last confirmed).")
    previous: BriefedStop | None = Field(
        default=None,
        description="The stop as previously confirmed, for `rescheduled`: whoever was told "
        "of it then is told of the move.",
    )
    summary: str = Field(description="One-sentence summary of the briefing, in Korean.")
    talking_points: list[TalkingPoint] = Field(description="The points, in reading order.")
    knowledge_base_version: str = Field(
        description="Version (`kb-<n>`) of the knowledge base the briefing was drawn from.",
        examples=["kb-3"],
    )
    briefing_version: int | None = Field(
        default=None,
        ge=1,
        description="Version of this stop's briefing document (1 for the first; a reschedule "
        "or cancellation makes the next). None from producers that predate documents.",
    )
    withdrawn: bool = Field(
        default=False, description="True when the stop was cancelled and its briefing withdrawn."
    )
    cancellation_reason: str | None = Field(
        default=None,
        description="Why the stop was cancelled, in Korean, as the scheduler gave it (for "
        "`cancelled` only; None when not given).",
        examples=["일정 철회"],
    )
    changes_since_last: list[str] = Field(
        default_factory=list,
        description="What changed since the previous briefing of this stop, in Korean.",
        examples=[["일시: 2026년 12월 1일(화) 14:00–15:00 → 2026년 12월 1일(화) 16:00–17:00"]],
    )
