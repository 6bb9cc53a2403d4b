"""A notice on its way to one member: queued, sent once, retried with backoff, or given up.

It remembers the `briefing.ready` it came from (correlation and causation), so the
`notice.sent` / `notice.failed` it causes continue that chain.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.notices import Notice
from services.notifier.domain.stops import StopView

MAX_BACKOFF = timedelta(minutes=10)
MAX_ERROR_LENGTH = 1000


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The status in Korean, for the notices page."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DeliveryStatus.PENDING: "발송 대기",
    DeliveryStatus.SENT: "발송 완료",
    DeliveryStatus.FAILED: "발송 실패",
}


@dataclass(frozen=True)
class Cause:
    """The event a delivery answers: its correlation id, its event id, its office."""

    correlation_id: str
    event_id: UUID | None
    office_id: str


@dataclass
class Delivery:
    """One notice to one member about one version of one stop; sent at most once."""

    id: str
    stop_id: str
    stop_version: int
    change: StopChangeKind
    notice: Notice
    cause: Cause
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None

    @classmethod
    def queue(cls, stop: StopView, notice: Notice, cause: Cause, now: datetime) -> Delivery:
        """A new delivery, due at once."""
        return cls(
            id=f"nt-{uuid.uuid4().hex[:16]}",
            stop_id=stop.stop_id,
            stop_version=stop.version,
            change=stop.change,
            notice=notice,
            cause=cause,
            created_at=now,
            next_attempt_at=now,
        )

    @property
    def member_id(self) -> str:
        return self.notice.recipient_id

    @property
    def to_address(self) -> str:
        return self.notice.to_address

    @property
    def subject(self) -> str:
        return self.notice.subject

    def mark_sent(self, now: datetime) -> bool:
        """Record that the mail server accepted it; False if it was already sent."""
        if self.status is DeliveryStatus.SENT:
            return False
        self.status, self.sent_at, self.attempts = DeliveryStatus.SENT, now, self.attempts + 1
        return True

    def record_failure(self, error: str, now: datetime, *, max_attempts: int) -> bool:
        """Retry later with exponential backoff, or give up after max_attempts.

        False if the delivery was no longer pending (nothing recorded).
        """
        if self.status is not DeliveryStatus.PENDING:
            return False
        self.attempts += 1
        self.last_error = error[:MAX_ERROR_LENGTH]
        backoff = min(2**self.attempts, MAX_BACKOFF.total_seconds())
        self.next_attempt_at = now + timedelta(seconds=backoff)
        if self.attempts >= max_attempts:
            self.status = DeliveryStatus.FAILED
        return True
