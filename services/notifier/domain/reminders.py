"""The day-before reminder a member may choose: when it goes, and when it is not worth sending.

Pure; `now` is an argument. The time of day is the office's (a setting), on Seoul's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from schemas.vocabulary import SEOUL
from services.notifier.domain.preferences import Preferences
from services.notifier.domain.stops import StopView

DEFAULT_REMINDER_TIME = time(18, 0)


@dataclass(frozen=True)
class ReminderPolicy:
    """Reminders go at `at` (Seoul time) on the day before the stop."""

    at: time = DEFAULT_REMINDER_TIME

    def slot(self, starts_at: datetime) -> datetime:
        """`at` on the Seoul day before the one the stop starts on."""
        day_before = starts_at.astimezone(SEOUL).date() - timedelta(days=1)
        return datetime.combine(day_before, self.at, tzinfo=SEOUL)


def reminder_at(
    policy: ReminderPolicy,
    stop: StopView,
    preferences: Preferences | None,
    notice_at: datetime,
    now: datetime,
) -> datetime | None:
    """When this member's reminder of `stop` goes, or None: not chosen, a cancellation, or
    its moment (after quiet hours) already past, not after the notice itself, or not before
    the stop."""
    if preferences is None or not preferences.day_before_reminder or stop.cancelled:
        return None
    at = policy.slot(stop.starts_at)
    if preferences.quiet_hours is not None:
        at = preferences.quiet_hours.end_after(at)
    if at <= now or at <= notice_at or at >= stop.starts_at:
        return None
    return at
