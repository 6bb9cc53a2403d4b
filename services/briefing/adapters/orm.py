"""The briefing service's tables (all prefixed `briefing_`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE
from services.common.inbox import InboxRecord
from services.common.outbox import OutboxRecord, unpublished_index

TABLE_PREFIX = "briefing_"


class BriefingRow(SQLModel, table=True):
    """Talking points for one version of one stop, with the knowledge base version used."""

    __tablename__ = "briefing_briefing"
    __table_args__ = (UniqueConstraint("stop_id", "stop_version"),)

    id: str = Field(primary_key=True)
    office_id: str = Field(
        default=DEFAULT_OFFICE, sa_column_kwargs={"server_default": DEFAULT_OFFICE}
    )
    stop_id: str = Field(index=True)
    stop_version: int
    change: str
    title: str
    summary: str
    talking_points: list[dict[str, Any]] = Field(sa_type=JSON)
    knowledge_base_version: str
    created_at: datetime
    briefing_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    withdrawn: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    district: str = Field(default="", index=True, sa_column_kwargs={"server_default": ""})
    starts_at: datetime | None = Field(default=None, index=True)
    document: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class BriefingOutbox(OutboxRecord, table=True):
    __tablename__ = "briefing_outbox"
    __table_args__ = (unpublished_index("briefing_outbox"),)


class BriefingInbox(InboxRecord, table=True):
    __tablename__ = "briefing_inbox"


class MemberRequestRow(SQLModel, table=True):
    """A council member's request or question and where its follow-up stands."""

    __tablename__ = "briefing_member_request"

    id: str = Field(primary_key=True)
    office_id: str = Field(
        default=DEFAULT_OFFICE, sa_column_kwargs={"server_default": DEFAULT_OFFICE}
    )
    member_id: str = Field(index=True)
    member_name: str
    kind: str
    district: str = Field(index=True)
    text: str = Field(sa_type=Text)
    stop_id: str | None = None
    session: str | None = None
    department: str | None = None
    due_date: date | None = None
    status: str = Field(index=True)
    action_taken: str | None = Field(default=None, sa_type=Text)
    recorded_at: datetime
    updated_at: datetime


class MemberRequestChangeRow(SQLModel, table=True):
    """One step of a request's follow-up: who changed what, when (the request's history)."""

    __tablename__ = "briefing_member_request_change"

    seq: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(foreign_key="briefing_member_request.id", index=True)
    at: datetime
    by: str
    from_status: str | None = None
    to_status: str
    note: str = Field(default="", sa_type=Text)
    department: str | None = None


# The knowledge base tables live in their own module; importing it registers them here.
from services.briefing.adapters import knowledge_orm as knowledge_orm  # noqa: E402
