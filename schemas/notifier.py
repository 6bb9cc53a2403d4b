"""Events the notifier publishes."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import StopChangeKind


class NoticeSent(BaseModel):
    """An advance notice (or update/cancellation) reached the mail server."""

    notice_id: str
    stop_id: str
    stop_version: int
    change: StopChangeKind
    recipient_id: str
    subject: str
    sent_at: AwareDatetime


class NoticeFailed(BaseModel):
    """A notice could not be delivered; it will be retried."""

    notice_id: str
    stop_id: str
    stop_version: int
    recipient_id: str
    attempts: int = Field(ge=1)
    error: str
