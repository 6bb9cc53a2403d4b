"""The briefing service's tables (all prefixed `briefing_`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE
from services.common.inbox import InboxRecord
from services.common.outbox import OutboxRecord

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


class BriefingOutbox(OutboxRecord, table=True):
    __tablename__ = "briefing_outbox"


class BriefingInbox(InboxRecord, table=True):
    __tablename__ = "briefing_inbox"
