"""When council members can attend a council meeting the mayor is asked to hold.

A request naming members (`VisitRequest.member_ids`) may only be placed inside one
availability window of each of them. A member the office stored availability for is
available only inside those windows (none stored for a day: unavailable that day); a
member with nothing stored is taken to be available whenever the mayor works (the day's
working hours), so meetings of members nobody asked about are planned as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from schemas.vocabulary import SEOUL
from services.scheduler.planning.problem import TimeWindow


@dataclass(frozen=True)
class MemberAvailability:
    """A member's stored windows: aware datetimes, ordered, none overlapping or touching."""

    member_id: str
    windows: tuple[TimeWindow, ...]


def availability_of(member_id: str, windows: Iterable[TimeWindow]) -> MemberAvailability:
    """The windows ordered, with overlapping or touching ones merged into one.

    Merging matters: a visit must lie inside ONE window of each member, and 10–12 plus
    12–14 means the member is free from 10 to 14. Raises ValueError for a window that does
    not end after it starts, or a naive one (a moment without its zone is ambiguous).
    """
    ordered = sorted(windows, key=lambda w: (w.start, w.end))
    for window in ordered:
        if window.start.tzinfo is None or window.end.tzinfo is None:
            raise ValueError("가용 시간에는 시간대가 있어야 합니다.")
        if window.end <= window.start:
            raise ValueError("종료 시각이 시작 시각보다 늦어야 합니다.")
    merged: list[TimeWindow] = []
    for window in ordered:
        if merged and window.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = TimeWindow(last.start, max(last.end, window.end))
        else:
            merged.append(window)
    return MemberAvailability(member_id, tuple(merged))


def working_hours(days: Sequence[date], start: time, end: time) -> tuple[TimeWindow, ...]:
    """The default availability of a member with nothing stored: the mayor's working hours."""
    return tuple(
        TimeWindow(datetime.combine(day, start, SEOUL), datetime.combine(day, end, SEOUL))
        for day in days
    )
