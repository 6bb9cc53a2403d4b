"""When a notice goes out: lead time, short notice, urgency, quiet hours and the digest."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from schemas.vocabulary import SEOUL
from services.notifier.domain.lead_times import (
    Timing,
    advance_timing,
    change_timing,
    deliver_at,
)
from services.notifier.domain.preferences import Preferences, QuietHours

VISIT = datetime(2026, 12, 7, 14, 0, tzinfo=SEOUL)  # Monday 14:00 in Seoul
H48 = timedelta(hours=48)


def test_an_advance_notice_waits_for_the_lead_time() -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=SEOUL)

    assert advance_timing(VISIT, H48, now) == Timing(VISIT - H48)


def test_a_stop_confirmed_after_its_lead_time_goes_at_once_marked_short_notice() -> None:
    now = VISIT - timedelta(hours=30)

    timing = advance_timing(VISIT, H48, now)

    assert timing == Timing(now, short_notice=True, urgent=False)
    assert advance_timing(VISIT, H48, VISIT - timedelta(hours=3)).urgent


def test_exactly_at_the_lead_time_is_not_short_notice() -> None:
    assert advance_timing(VISIT, H48, VISIT - H48 - timedelta(seconds=1)).short_notice is False
    assert advance_timing(VISIT, H48, VISIT - H48).short_notice is True


def test_no_lead_time_means_at_once_and_not_short() -> None:
    now = VISIT - timedelta(days=10)

    assert advance_timing(VISIT, timedelta(0), VISIT - timedelta(days=10)) == Timing(VISIT)
    assert change_timing(VISIT, now) == Timing(now)


def test_a_change_goes_at_once_and_is_urgent_close_to_the_stop() -> None:
    now = VISIT - timedelta(hours=5)

    assert change_timing(VISIT, now) == Timing(now, urgent=True)


QUIET = QuietHours(time(22, 0), time(7, 0))


def test_quiet_hours_hold_a_notice_until_they_end_even_across_midnight() -> None:
    prefs = Preferences("m-1", quiet_hours=QUIET)
    late = datetime(2026, 12, 5, 23, 30, tzinfo=SEOUL)
    early = datetime(2026, 12, 6, 6, 0, tzinfo=SEOUL)
    noon = datetime(2026, 12, 6, 12, 0, tzinfo=SEOUL)

    assert deliver_at(Timing(late), prefs) == datetime(2026, 12, 6, 7, 0, tzinfo=SEOUL)
    assert deliver_at(Timing(early), prefs) == datetime(2026, 12, 6, 7, 0, tzinfo=SEOUL)
    assert deliver_at(Timing(noon), prefs) == noon


def test_an_urgent_notice_overrides_quiet_hours_and_the_digest() -> None:
    prefs = Preferences("m-1", quiet_hours=QUIET, daily_digest=True)
    late = datetime(2026, 12, 5, 23, 30, tzinfo=SEOUL)

    assert deliver_at(Timing(late, urgent=True), prefs) == late


def test_the_digest_gathers_non_urgent_notices_at_its_time() -> None:
    prefs = Preferences("m-1", daily_digest=True, digest_time=time(8, 0))
    afternoon = datetime(2026, 12, 4, 15, 0, tzinfo=SEOUL)
    dawn = datetime(2026, 12, 4, 6, 0, tzinfo=SEOUL)

    assert deliver_at(Timing(afternoon), prefs) == datetime(2026, 12, 5, 8, 0, tzinfo=SEOUL)
    assert deliver_at(Timing(dawn), prefs) == datetime(2026, 12, 4, 8, 0, tzinfo=SEOUL)


def test_a_digest_inside_quiet_hours_waits_for_their_end() -> None:
    prefs = Preferences(
        "m-1", quiet_hours=QuietHours(time(7, 0), time(9, 0)), daily_digest=True,
        digest_time=time(8, 0),
    )  # fmt: skip

    at = deliver_at(Timing(datetime(2026, 12, 4, 15, 0, tzinfo=SEOUL)), prefs)

    assert at == datetime(2026, 12, 5, 9, 0, tzinfo=SEOUL)


def test_without_preferences_the_timing_stands() -> None:
    moment = datetime(2026, 12, 4, 23, 0, tzinfo=SEOUL)

    assert deliver_at(Timing(moment), None) == moment
