"""Tables of the members' letters (prefixed `notifier_`, migrated with the notifier)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from services.notifier.adapters.orm import office_column


class AnsweredItemRow(SQLModel, table=True):
    """One answer to one member's request, kept for the member's next session report."""

    __tablename__ = "notifier_answered_item"

    key: str = Field(primary_key=True)  # answer/<request id>/<answered at>
    office_id: str = office_column()
    request_id: str = Field(index=True)
    member_id: str = Field(index=True)
    member_name: str
    kind: str
    text: str
    district: str
    origin: str
    department: str | None = None
    action_taken: str
    answered_at: datetime
    reported_in: str | None = Field(
        default=None, description="The session whose report carried it; None until then."
    )


class MemberLetterRow(SQLModel, table=True):
    """One letter to one member (an answer, or a session report); one per key."""

    __tablename__ = "notifier_member_letter"

    id: str = Field(primary_key=True)
    key: str = Field(unique=True)
    office_id: str = office_column()
    kind: str  # a LetterKind
    member_id: str = Field(index=True)
    to_address: str
    subject: str
    text_body: str
    html_body: str
    status: str = Field(index=True)  # a LetterStatus
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    correlation_id: str
    causation_id: UUID | None = None
    claimed_by: str | None = None
    lease_until: datetime | None = None
