"""The notifier's tables (all prefixed `notifier_`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE
from services.common.inbox import InboxRecord
from services.common.outbox import OutboxRecord

TABLE_PREFIX = "notifier_"


def office_column() -> Any:
    """The office a row belongs to; rows from before offices existed are Seoul's."""
    return Field(default=DEFAULT_OFFICE, sa_column_kwargs={"server_default": DEFAULT_OFFICE})


class MemberRow(SQLModel, table=True):
    """A council member who can receive notices (the roster is loaded, not typed in)."""

    __tablename__ = "notifier_member"

    id: str = Field(primary_key=True)
    office_id: str = office_column()
    name: str
    email: str
    district: str | None = Field(default=None, index=True)
    committees: list[str] = Field(sa_type=JSON)
    roles: list[str] = Field(sa_type=JSON)
    caucus: str
    active: bool = True


class FeedTokenRow(SQLModel, table=True):
    """Secret token of a private feed: `staff` for the mayor's internal feed, else a member id."""

    __tablename__ = "notifier_feed_token"

    owner: str = Field(primary_key=True)
    token: str = Field(unique=True)
    created_at: datetime


class StopRow(SQLModel, table=True):
    """The notifier's read model of each stop, for feeds; newest version wins."""

    __tablename__ = "notifier_stop"

    stop_id: str = Field(primary_key=True)
    version: int
    starts_at: datetime = Field(index=True)
    body: dict[str, Any] = Field(sa_type=JSON)


class StopAudienceRow(SQLModel, table=True):
    """Who has been told of a stop; a member's feed shows exactly these stops."""

    __tablename__ = "notifier_stop_audience"

    stop_id: str = Field(primary_key=True)
    member_id: str = Field(primary_key=True, index=True)


class DeliveryRow(SQLModel, table=True):
    """One notice to one member about one version of one stop; sent at most once."""

    __tablename__ = "notifier_delivery"
    __table_args__ = (UniqueConstraint("stop_id", "stop_version", "member_id"),)

    id: str = Field(primary_key=True)
    office_id: str = office_column()
    stop_id: str = Field(index=True)
    stop_version: int
    member_id: str
    change: str
    to_address: str
    subject: str
    text_body: str
    html_body: str
    ics: str
    ics_method: str
    status: str = Field(index=True)  # a DeliveryStatus
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    correlation_id: str | None = Field(
        default=None, description="Of the briefing.ready that queued it; its notices carry it."
    )
    causation_id: UUID | None = Field(default=None, description="Id of that briefing.ready.")


class NotifierOutbox(OutboxRecord, table=True):
    __tablename__ = "notifier_outbox"


class NotifierInbox(InboxRecord, table=True):
    __tablename__ = "notifier_inbox"
