"""Events the notifier publishes."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field

from schemas.vocabulary import StopChangeKind


class NoticeSent(BaseModel):
    """An advance notice (or update/cancellation) reached the mail server."""

    notice_id: str = Field(description="Id of the notice (one per member and stop version).")
    stop_id: str = Field(description="The stop the notice is about.")
    stop_version: int = Field(ge=1, description="The version of the stop it announces.")
    change: StopChangeKind = Field(description="Advance notice, update or cancellation.")
    recipient_id: str = Field(description="Council member id.", examples=["m-001"])
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
