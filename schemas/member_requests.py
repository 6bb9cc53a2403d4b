"""Events of council members' requests and questions (건의사항, 시정질문, 5분 자유발언).

The briefing service records them, follows them up and publishes each step; the notifier
tells the member the action taken (`member_request.answered`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field


class RequestKind(StrEnum):
    """What the member raised."""

    REQUEST = "request"  # 건의·제안사항 (현장방문, 간담회)
    QUESTION = "question"  # 시정질문
    FLOOR_SPEECH = "floor_speech"  # 5분 자유발언


class RequestStatus(StrEnum):
    """Where the follow-up stands: received → routed → in_progress → answered."""

    RECEIVED = "received"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"


class MemberRequestFacts(BaseModel):
    """What every member-request event repeats, so a reader needs no earlier event."""

    request_id: str = Field(description="Stable id of the request.", examples=["mr-3f2a9c1d0e4b"])
    member_id: str = Field(description="Council member id.", examples=["m-021"])
    member_name: str = Field(description="The member's name.", examples=["하나래"])
    kind: RequestKind = Field(description="Request, question or floor speech.")
    district: str = Field(description="Korean district the request concerns.", examples=["노원구"])
    text: str = Field(
        description="The request as recorded, in Korean.",
        examples=["월계역 환승주차장 공사 중 보행로 안전 확보"],
    )
    stop_id: str | None = Field(
        default=None, description="The mayor's stop where it was raised, if at a visit."
    )
    session: str | None = Field(
        default=None,
        description="The council session or meeting where it was raised, if not at a visit.",
        examples=["제311회 정례회"],
    )
    department: str | None = Field(
        default=None,
        description="Responsible department (실·본부·국) it is routed to; None until routed.",
        examples=["도시기반시설본부"],
    )
    due_date: date | None = Field(default=None, description="When an answer is due (Seoul date).")
    status: RequestStatus = Field(description="Status after this event.")


class MemberRequestRecorded(MemberRequestFacts):
    """A member's request or question was recorded."""

    recorded_by: str = Field(description="Who recorded it.", examples=["대외협력팀"])
    recorded_at: AwareDatetime = Field(description="When it was recorded (UTC).")


class MemberRequestUpdated(MemberRequestFacts):
    """A request changed status (routed, re-routed, in progress), with who and why."""

    previous_status: RequestStatus = Field(description="Status before this change.")
    changed_by: str = Field(description="Who made the change.")
    changed_at: AwareDatetime = Field(description="When (UTC).")
    note: str = Field(default="", description="What was done or why, in Korean.")


class MemberRequestAnswered(MemberRequestFacts):
    """The department answered: the action taken is to be reported back to the member."""

    previous_status: RequestStatus = Field(description="Status before the answer.")
    action_taken: str = Field(
        description="The action taken (조치결과), in Korean, as the member will read it.",
        examples=["보행 안전펜스 120m 설치 완료(12월 3일)"],
    )
    answered_by: str = Field(description="Who recorded the answer.")
    answered_at: AwareDatetime = Field(description="When (UTC).")
