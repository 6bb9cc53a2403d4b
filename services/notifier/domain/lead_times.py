"""When a notice goes out: at the rule's lead time, at once when the stop came too late,
never inside a member's quiet hours unless urgent, and with the daily digest if chosen.

Pure functions; `now` is always an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notifier.domain.preferences import Preferences

URGENT_WITHIN = timedelta(hours=24)
"""A notice about a stop that starts within this window is urgent: quiet hours and the
digest do not hold it back."""


@dataclass(frozen=True)
class Timing:
    """When a notice may be sent (`not_before`) and how it is marked."""

    not_before: datetime
    short_notice: bool = False
    urgent: bool = False


def advance_timing(
    starts_at: datetime, lead: timedelta, now: datetime, urgent_within: timedelta = URGENT_WITHIN
) -> Timing:
    """An advance notice is due `lead` before the stop; when confirmed later than that it
    goes at once, marked short notice."""
    due = starts_at - lead
    urgent = starts_at - now <= urgent_within
    if due <= now:
        return Timing(now, short_notice=lead > timedelta(0), urgent=urgent)
    return Timing(due, urgent=urgent)


def change_timing(
    starts_at: datetime, now: datetime, urgent_within: timedelta = URGENT_WITHIN
) -> Timing:
    """An update or cancellation to someone already told goes at once."""
    return Timing(now, urgent=starts_at - now <= urgent_within)


def digest_slot(timing: Timing, preferences: Preferences | None) -> datetime | None:
    """The daily digest a notice is held for (merged into one mail with the others held for
    it), or None when it goes on its own (no digest chosen, or urgent)."""
    if preferences is None or timing.urgent or not preferences.daily_digest:
        return None
    return preferences.next_digest(timing.not_before)


def deliver_at(timing: Timing, preferences: Preferences | None) -> datetime:
    """The moment the dispatcher may send it, after the member's quiet hours and digest."""
    at = timing.not_before
    if preferences is None or timing.urgent:
        return at
    if preferences.daily_digest:
        at = preferences.next_digest(at)
    if preferences.quiet_hours is not None:
        at = preferences.quiet_hours.end_after(at)
    return at
