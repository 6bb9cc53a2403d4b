"""A notice on its way to one member: queued, claimed, sent once, retried or given up.

It remembers the `briefing.ready` it came from (correlation and causation), so the
`notice.sent` / `notice.failed` it causes continue that chain. A dispatcher claims a due
delivery for a lease; another dispatcher may take it over only once the lease has run out,
so a crashed dispatcher's notices are sent by the next one, and a live one's never twice.
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


class DeliveryRefused(Exception):
    """The mail server refused this notice for good (5xx: unknown address, rejected content).

    A mailer raises it so the delivery fails at once with the reason instead of being retried.
    """


@dataclass(frozen=True)
class Backoff:
    """When a failed delivery is tried again: base × 2^(attempts−1), at most `max_seconds`."""

    base_seconds: float = 2.0
    max_seconds: float = MAX_BACKOFF.total_seconds()

    def delay(self, attempts: int) -> timedelta:
        return timedelta(
            seconds=min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds)
        )


DEFAULT_BACKOFF = Backoff()


class DeliveryPurpose(StrEnum):
    """Why a delivery exists; one of each per (stop, version, member, round), follow-ups
    numbered."""

    NOTICE = "notice"  # the advance notice, update or cancellation of a stop version
    REMINDER = "reminder"  # the day before the stop, for members who chose it
    FOLLOW_UP = "follow_up"  # after a press announcement, when progress is marked
    WITHDRAWAL = "withdrawal"  # an operator excluded a member who held the invitation

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS = {
    DeliveryPurpose.NOTICE: "안내",
    DeliveryPurpose.REMINDER: "전날 알림",
    DeliveryPurpose.FOLLOW_UP: "후속 안내",
    DeliveryPurpose.WITHDRAWAL: "안내 대상 제외",
}


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"  # replaced by a notice about a newer version before it was sent

    @property
    def label(self) -> str:
        """The status in Korean, for the notices page."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DeliveryStatus.PENDING: "발송 대기",
    DeliveryStatus.SENT: "발송 완료",
    DeliveryStatus.FAILED: "발송 실패",
    DeliveryStatus.SUPERSEDED: "대체됨(발송 전 일정 변경)",
}


@dataclass(frozen=True)
class Cause:
    """The event a delivery answers: its correlation id, its event id, its office."""

    correlation_id: str
    event_id: UUID | None
    office_id: str


@dataclass
class Delivery:
    """One notice to one member about one version of one stop, for one purpose (and, for a
    follow-up, one progress mark); sent at most once."""

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
    claimed_by: str | None = None
    lease_until: datetime | None = None
    # Why, when and instead of what (set by the recipient planner, see decisions.py):
    reason: str = ""  # one Korean line for the e-mail footer: why this member received it
    short_notice: bool = False  # the stop was confirmed later than the rule's lead time
    urgent: bool = False  # the stop is close: quiet hours and the digest do not hold it back
    replaces: str | None = None  # the earlier notice (delivery id) this update refers to
    changes: str = ""  # what changed since that notice, in Korean
    superseded_by: str | None = None  # the delivery that replaced this one before it was sent
    purpose: DeliveryPurpose = DeliveryPurpose.NOTICE
    follow_up_no: int = 0  # which progress mark of the stop a follow-up tells (1, 2, …), else 0
    round: int = 0
    """The n-th invitation of the member at this stop version (0 the first): a member added
    back after their withdrawal went out is invited again (round + 1); a withdrawal, and a
    reminder, carry the round of the invitation they go with."""
    digest_at: datetime | None = None  # the daily digest it is held for: sent merged with it

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

    @property
    def final(self) -> bool:
        """No further attempt will be made."""
        return self.status is not DeliveryStatus.PENDING

    def claimable(self, now: datetime) -> bool:
        """Due, and not held by a dispatcher whose lease still runs."""
        return (
            self.status is DeliveryStatus.PENDING
            and self.next_attempt_at <= now
            and (self.lease_until is None or self.lease_until < now)
        )

    def claim(self, claimant: str, lease_until: datetime) -> None:
        self.claimed_by, self.lease_until = claimant, lease_until

    def release(self) -> None:
        self.claimed_by, self.lease_until = None, None

    def supersede(self, by: str | None) -> bool:
        """Replace a notice not yet sent (its stop changed); False if it already went out."""
        if self.status is not DeliveryStatus.PENDING:
            return False
        self.status, self.superseded_by = DeliveryStatus.SUPERSEDED, by
        self.release()
        return True

    def mark_sent(self, now: datetime) -> bool:
        """Record that the mail server accepted it; False if it was already sent."""
        if self.status is DeliveryStatus.SENT:
            return False
        self.status, self.sent_at, self.attempts = DeliveryStatus.SENT, now, self.attempts + 1
        self.release()
        return True

    def record_failure(
        self,
        error: str,
        now: datetime,
        *,
        max_attempts: int,
        permanent: bool = False,
        backoff: Backoff = DEFAULT_BACKOFF,
    ) -> bool:
        """Retry later with exponential backoff, or give up: at once when `permanent`
        (the server refused it for good), else after max_attempts.

        False if the delivery was no longer pending (nothing recorded).
        """
        if self.status is not DeliveryStatus.PENDING:
            return False
        self.attempts += 1
        self.last_error = error[:MAX_ERROR_LENGTH]
        self.next_attempt_at = now + backoff.delay(self.attempts)
        if permanent or self.attempts >= max_attempts:
            self.status = DeliveryStatus.FAILED
        self.release()
        return True


@dataclass(frozen=True)
class SendOutcome:
    """What became of one attempt: accepted at `at`, or failed with `error`."""

    delivery_id: str
    at: datetime
    error: str | None = None
    permanent: bool = False

    @property
    def accepted(self) -> bool:
        return self.error is None
