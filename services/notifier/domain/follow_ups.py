"""Follow-ups after a press announcement: the progress an operator marks, told to exactly
those who were told of the announcement.

Pure; `now` is an argument. Each mark of a stop gets the next number, and its deliveries
carry it in their key, so a stop can have as many follow-ups as marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.common.errors import InvalidInput
from services.notifier.domain.decisions import Override, OverrideAction
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.stops import StopView

MAX_PROGRESS_LENGTH = 1000
PRESS = "press"
FOLLOW_UP_REASON = "앞서 이 언론 발표를 사전설명받으셔서 발표 이후의 진행 상황을 알려드립니다."


@dataclass(frozen=True)
class FollowUp:
    """One progress mark on a press announcement, as stored (answers "why was I told")."""

    id: str
    stop_id: str
    stop_version: int
    number: int
    progress: str
    marked_at: datetime
    recipients: int = 0


def checked_progress(stop: StopView, progress: str, now: datetime) -> str:
    """The progress text (trimmed) if a follow-up of `stop` may be marked now; InvalidInput
    with the Korean reason otherwise: only after a press announcement that took place."""
    progress = progress.strip()
    if not progress:
        raise InvalidInput("progress", "진행 상황을 입력해야 합니다")
    if len(progress) > MAX_PROGRESS_LENGTH:
        raise InvalidInput("progress", f"{MAX_PROGRESS_LENGTH}자 이하여야 합니다")
    if stop.category != PRESS:
        raise InvalidInput("stop_id", "언론 발표 일정에만 후속 안내를 보낼 수 있습니다")
    if stop.cancelled:
        raise InvalidInput("stop_id", "취소된 일정에는 후속 안내를 보낼 수 없습니다")
    if now < stop.starts_at:
        raise InvalidInput("stop_id", "발표가 시작된 뒤에만 후속 안내를 보낼 수 있습니다")
    return progress


def told_of(history: Sequence[Delivery], overrides: Iterable[Override]) -> list[str]:
    """Who was told of the stop (a notice about it was sent to them), sorted; members an
    operator has excluded from the stop since are left out."""
    excluded = {o.member_id for o in overrides if o.action is OverrideAction.EXCLUDE}
    told = {
        d.member_id
        for d in history
        if d.purpose is DeliveryPurpose.NOTICE and d.status is DeliveryStatus.SENT
    }
    return sorted(told - excluded)


def next_number(earlier: Sequence[FollowUp]) -> int:
    """The number of the next mark of a stop (1 for the first)."""
    return max((f.number for f in earlier), default=0) + 1
