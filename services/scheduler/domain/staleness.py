"""Whether a proposal still describes what schedulers want, at the moment it is confirmed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from schemas.scheduler import StopKind
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    RequestStatus,
    VisitRequest,
)


def stale_stops(
    day: date,
    proposed: Sequence[Stop],
    request: Callable[[str], VisitRequest | None],
    commitment: Callable[[str], Commitment | None],
    scheduled_days: Mapping[str, date],
) -> list[dict[str, object]]:
    """Stops whose source was withdrawn, deleted or confirmed on another day since.

    Two proposals made before either was confirmed could otherwise place one request on
    two days; each entry names the stop and says why in Korean.
    """
    stale: list[dict[str, object]] = []
    for stop in proposed:
        reason = _why_stale(day, stop, request, commitment, scheduled_days)
        if reason:
            stale.append({"stop_id": stop.stop_id, "reason": reason})
    return stale


def _why_stale(
    day: date,
    stop: Stop,
    request: Callable[[str], VisitRequest | None],
    commitment: Callable[[str], Commitment | None],
    scheduled_days: Mapping[str, date],
) -> str | None:
    if stop.kind == StopKind.VISIT:
        source = request(stop.source_id)
        if source is None or source.status == RequestStatus.WITHDRAWN:
            return f"'{stop.title}' 요청이 철회되었거나 삭제되었습니다."
        elsewhere = scheduled_days.get(stop.source_id)
        if elsewhere is not None and elsewhere != day:
            return f"'{stop.title}'은(는) 이미 {elsewhere.isoformat()} 일정에 확정되어 있습니다."
        return None
    fixed = commitment(stop.source_id)
    if fixed is None or fixed.status == CommitmentStatus.WITHDRAWN:
        return f"'{stop.title}' 고정 일정이 철회되었거나 삭제되었습니다."
    return None
