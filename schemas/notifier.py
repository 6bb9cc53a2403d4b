"""Events the notifier publishes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import StopChangeKind


class NoticePurpose(StrEnum):
    """Why a notice exists: the notice of a stop version (advance notice, update,
    cancellation or removal), the day-before reminder, or a press follow-up."""

    NOTICE = "notice"
    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"


def _purpose_field() -> Any:
    """The same field in both events (a fresh FieldInfo for each model)."""
    return Field(
        default=NoticePurpose.NOTICE,
        description="Why the notice exists: `notice` (advance notice, update, cancellation or "
        "removal of a stop version), `reminder` (the day before the stop) or `follow_up` (after a "
        "press announcement). Added in version 1 with a default: events published before it are "
        "notices. A notice sent within a member's daily digest keeps its own purpose.",
    )


class NoticeSent(BaseModel):
    """A notice (advance notice, update, cancellation, removal, reminder or follow-up)
    reached the mail server."""

    notice_id: str = Field(description="Id of the notice (one per member and stop version).")
    stop_id: str = Field(description="The stop the notice is about.")
    stop_version: int = Field(ge=1, description="The version of the stop it announces.")
    change: StopChangeKind = Field(description="Advance notice, update or cancellation.")
    recipient_id: str = Field(description="Council member id.", examples=["m-001"])
    purpose: NoticePurpose = _purpose_field()
    subject: str = Field(
        description="Subject line of the e-mail.",
        examples=["[사전안내] 12/1(화) 14:00 노원구 · 송전선로 지중화 착공식"],
    )
    sent_at: AwareDatetime = Field(description="When the mail server accepted it (UTC).")


class NoticeFailed(BaseModel):
    """A notice could not be delivered; it is retried with backoff until the attempts run
    out, or not at all when the mail server refused it for good (`final`)."""

    notice_id: str = Field(description="Id of the notice (one per member and stop version).")
    stop_id: str = Field(description="The stop the notice is about.")
    stop_version: int = Field(ge=1, description="The version of the stop it announces.")
    recipient_id: str = Field(description="Council member id.", examples=["m-001"])
    purpose: NoticePurpose = _purpose_field()
    attempts: int = Field(ge=1, description="Attempts so far, this one included.")
    error: str = Field(description="Why the last attempt failed (truncated).")
    final: bool = Field(
        default=False,
        description="True when no further attempt will be made: the mail server refused the "
        "notice for good (5xx, e.g. an unknown address) or the attempts ran out.",
    )
    next_attempt_at: AwareDatetime | None = Field(
        default=None, description="When it is tried again (UTC); absent when final."
    )
