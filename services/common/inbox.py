"""Inbox: the ids of events a service has already handled, so redelivery changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlmodel import Field, Session, SQLModel


class InboxRecord(SQLModel):
    """Columns of every service's inbox table (each service declares its own table)."""

    event_id: UUID = Field(primary_key=True)
    event_type: str
    handled_at: datetime


def already_handled(session: Session, table: type[InboxRecord], event_id: UUID) -> bool:
    return session.get(table, event_id) is not None


def remember(session: Session, table: type[InboxRecord], event_id: UUID, event_type: str) -> None:
    """Record the event as handled, in the same transaction as its effects."""
    session.add(table(event_id=event_id, event_type=event_type, handled_at=datetime.now(UTC)))
