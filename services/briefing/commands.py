"""What the secretariat can ask of the member-request follow-up, validated for HTTP and loaders."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.member_requests import RequestKind, RequestStatus
from schemas.vocabulary import SEOUL_DISTRICTS


class RecordMemberRequest(BaseModel):
    """Record a member's request or question raised at a visit or a council session."""

    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(min_length=1, max_length=40, examples=["m-021"])
    member_name: str | None = Field(
        default=None,
        max_length=40,
        description="Needed only for a member the roster does not know.",
    )
    kind: RequestKind = Field(default=RequestKind.REQUEST)
    district: str | None = Field(
        default=None,
        description="District the request concerns; default: the member's district.",
        examples=["노원구"],
    )
    text: str = Field(min_length=1, max_length=2000, examples=["공사 기간 보행로 안전 확보"])
    stop_id: str | None = Field(default=None, max_length=80, description="Stop it was raised at.")
    session: str | None = Field(
        default=None, max_length=80, description="Session or meeting.", examples=["제311회 정례회"]
    )
    department: str | None = Field(default=None, max_length=80, examples=["도시기반시설본부"])
    due_date: date | None = None
    recorded_by: str = Field(default="비서실", min_length=1, max_length=40)

    @field_validator("district")
    @classmethod
    def _seoul_district(cls, value: str | None) -> str | None:
        if value is not None and value not in SEOUL_DISTRICTS:
            raise ValueError(f"서울시 자치구가 아닙니다: {value}")
        return value


class TransitionMemberRequest(BaseModel):
    """Move a request one step: route it, take it in hand, or answer it with the action taken."""

    model_config = ConfigDict(extra="forbid")

    status: RequestStatus
    changed_by: str = Field(default="비서실", min_length=1, max_length=40)
    note: str = Field(default="", max_length=2000)
    department: str | None = Field(default=None, max_length=80)
    action_taken: str | None = Field(default=None, max_length=2000)
