"""Whole minutes since the start of the day: the solver's time unit, and back to datetimes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.scheduler.planning.problem import Candidate

StartRange = tuple[int, int]  # (earliest start, latest start) in minutes, inclusive


@dataclass(frozen=True)
class Timeline:
    """Converts between tz-aware datetimes and minutes since day_start."""

    day_start: datetime
    day_end: datetime

    @property
    def horizon(self) -> int:
        return self.floor(self.day_end)

    def ceil(self, moment: datetime) -> int:
        return math.ceil(_seconds(moment - self.day_start) / 60)

    def floor(self, moment: datetime) -> int:
        return math.floor(_seconds(moment - self.day_start) / 60)

    def at(self, minute: int) -> datetime:
        """The moment `minute` minutes after day_start, in day_start's time zone."""
        moment = self.day_start.astimezone(UTC) + timedelta(minutes=minute)
        return moment.astimezone(self.day_start.tzinfo)

    def clock(self, moment: datetime) -> str:
        """HH:MM in the day's time zone, for Korean messages."""
        return moment.astimezone(self.day_start.tzinfo).strftime("%H:%M")


def duration_minutes(candidate: Candidate) -> int:
    return math.ceil(_seconds(candidate.duration) / 60)


def start_ranges(candidate: Candidate, timeline: Timeline) -> list[StartRange]:
    """Allowed start minutes of an optional candidate, windows clipped to the day, merged."""
    duration = duration_minutes(candidate)
    ranges: list[StartRange] = []
    for window in candidate.windows:
        earliest = max(timeline.ceil(window.start), 0)
        latest = min(timeline.floor(window.end), timeline.horizon) - duration
        if latest >= earliest:
            ranges.append((earliest, latest))
    return _merged(ranges)


def mandatory_start_minute(candidate: Candidate, timeline: Timeline) -> int:
    return timeline.ceil(candidate.mandatory_start)


def _merged(ranges: list[StartRange]) -> list[StartRange]:
    merged: list[StartRange] = []
    for earliest, latest in sorted(ranges):
        if merged and earliest <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], latest))
        else:
            merged.append((earliest, latest))
    return merged


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()
