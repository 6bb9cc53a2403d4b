"""Where a notice stands, as shown through the API: scheduled, due, retried, sent, failed,
or superseded (replaced before it was sent because its stop changed)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from services.notifier.domain.deliveries import Delivery, DeliveryStatus


class NoticeState(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    NoticeState.SCHEDULED: "발송 예약",
    NoticeState.DUE: "발송 대기",
    NoticeState.RETRYING: "재시도 대기",
    NoticeState.SENT: "발송 완료",
    NoticeState.FAILED: "발송 실패",
    NoticeState.SUPERSEDED: "대체됨(발송 전 일정 변경)",
}

_FINAL = {
    DeliveryStatus.SENT: NoticeState.SENT,
    DeliveryStatus.FAILED: NoticeState.FAILED,
    DeliveryStatus.SUPERSEDED: NoticeState.SUPERSEDED,
}


def notice_state(delivery: Delivery, now: datetime) -> NoticeState:
    """The state of a delivery at `now` (a pending one is scheduled until its time comes)."""
    final = _FINAL.get(delivery.status)
    if final is not None:
        return final
    if delivery.attempts > 0:
        return NoticeState.RETRYING
    if delivery.next_attempt_at > now:
        return NoticeState.SCHEDULED
    return NoticeState.DUE
