"""The notifier's tables (all prefixed `notifier_`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Index, UniqueConstraint, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE
from services.common.inbox import InboxRecord
from services.common.outbox import OutboxRecord, unpublished_index

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
    changed_at: datetime | None = Field(
        default=None,
        description="When this version was confirmed (the event's occurred_at): the feeds' "
        "DTSTAMP and LAST-MODIFIED, so an unchanged feed is byte-identical.",
    )


class StopAudienceRow(SQLModel, table=True):
    """Who has been told of a stop; a member's feed shows exactly these stops (cancelled for
    those it no longer concerns)."""

    __tablename__ = "notifier_stop_audience"

    stop_id: str = Field(primary_key=True)
    member_id: str = Field(primary_key=True, index=True)
    withdrawn_version: int | None = Field(
        default=None,
        description="The stop version from which it no longer concerns the member (a removal "
        "was sent); their feed shows it cancelled. Null while they are in its audience.",
    )


# Written out, not bound: PostgreSQL uses a partial index only for a query whose own text
# implies its predicate, and a prepared statement's parameter does not.
PENDING = text("status = 'pending'")


class DeliveryRow(SQLModel, table=True):
    """One notice to one member about one version of one stop, per purpose (notice, reminder,
    follow-up number) and round (invited again after a withdrawal); sent at most once."""

    __tablename__ = "notifier_delivery"
    __table_args__ = (
        UniqueConstraint(
            "stop_id",
            "stop_version",
            "member_id",
            "purpose",
            "follow_up_no",
            "round",
            name="uq_notifier_delivery_purpose",
        ),
        # What claims read: the pending notices by due time. Partial, so it holds only them
        # (an index on status kept every sent notice's old versions in each claim's scan).
        Index(
            "ix_notifier_delivery_pending",
            "next_attempt_at",
            "id",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
    )

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
    status: str  # a DeliveryStatus
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    correlation_id: str | None = Field(
        default=None, description="Of the briefing.ready that queued it; its notices carry it."
    )
    causation_id: UUID | None = Field(default=None, description="Id of that briefing.ready.")
    claimed_by: str | None = Field(
        default=None, description="The dispatcher that holds it (until lease_until)."
    )
    lease_until: datetime | None = Field(
        default=None, description="After this another dispatcher may take the claim over."
    )
    reason: str = Field(default="", sa_column_kwargs={"server_default": ""})
    short_notice: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    urgent: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    replaces: str | None = Field(default=None, description="The earlier notice it updates.")
    changes: str = Field(default="", sa_column_kwargs={"server_default": ""})
    superseded_by: str | None = None
    purpose: str = Field(
        default="notice", sa_column_kwargs={"server_default": "notice"}
    )  # a DeliveryPurpose
    follow_up_no: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="Which progress mark a follow-up tells (1, 2, …); 0 for the others.",
    )
    round: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="The n-th invitation of the member at this stop version (0 the first); "
        "a withdrawal or reminder carries the round of the invitation it goes with.",
    )
    digest_at: datetime | None = Field(
        default=None, description="The daily digest it is held for; sent merged with it."
    )
    summary: str = Field(
        default="",
        sa_column_kwargs={"server_default": ""},
        description="One line (when, where, what) for the digest's list.",
    )
    recipient_name: str = Field(default="", sa_column_kwargs={"server_default": ""})


class FollowUpRow(SQLModel, table=True):
    """A progress mark on a press announcement; each is told to those told of the stop."""

    __tablename__ = "notifier_follow_up"
    __table_args__ = (UniqueConstraint("stop_id", "number", name="uq_notifier_follow_up_number"),)

    id: str = Field(primary_key=True)
    office_id: str = office_column()
    stop_id: str = Field(index=True)
    stop_version: int
    number: int
    progress: str
    marked_at: datetime
    recipients: int = 0


class DecisionRow(SQLModel, table=True):
    """One rule's verdict on one person for one stop version: answers "why was I told?"."""

    __tablename__ = "notifier_decision"

    stop_id: str = Field(primary_key=True)
    stop_version: int = Field(primary_key=True)
    member_id: str = Field(primary_key=True, index=True)
    rule: str = Field(primary_key=True)  # a RuleId
    office_id: str = office_column()
    member_name: str
    included: bool
    explanation: str
    decided_at: datetime
    delivery_id: str | None = Field(default=None, index=True)


class OverrideRow(SQLModel, table=True):
    """An operator's add or exclude of one member for one stop, with the reason."""

    __tablename__ = "notifier_override"

    stop_id: str = Field(primary_key=True)
    member_id: str = Field(primary_key=True)
    office_id: str = office_column()
    action: str  # an OverrideAction
    reason: str
    created_at: datetime


class PreferenceRow(SQLModel, table=True):
    """A member's channels, quiet hours (Seoul "HH:MM") and digest time."""

    __tablename__ = "notifier_preference"

    member_id: str = Field(primary_key=True)
    office_id: str = office_column()
    channels: list[str] = Field(sa_type=JSON)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    daily_digest: bool = False
    digest_time: str = "08:00"
    day_before_reminder: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa_false()}
    )
    updated_at: datetime


class NotifierOutbox(OutboxRecord, table=True):
    __tablename__ = "notifier_outbox"
    __table_args__ = (unpublished_index("notifier_outbox"),)


class NotifierInbox(InboxRecord, table=True):
    __tablename__ = "notifier_inbox"
