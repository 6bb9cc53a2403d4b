"""Calendar feeds: who owns one, the links to it, which stops it shows, and when it changed.

A feed is a pure function of the stored stops, their change times and "now"; "now" only
matters at known instants (a stop ending, leaving the horizon, a cancellation expiring),
so an unchanged feed is byte-identical between those instants and can be cached until the
next one.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.stops import StopView

STAFF = "staff"
"""Owner of the mayor's internal feed; any other owner is a member id."""

PAST = timedelta(days=90)
"""Stops that ended longer ago than this leave the feed."""
FUTURE = timedelta(days=400)
"""Stops further ahead than this are not in the feed yet."""
CANCELLED_KEPT = timedelta(days=30)
"""A cancelled stop stays (STATUS:CANCELLED) this long after the cancellation, so every
subscriber's client sees it go, then leaves the feed."""
MAX_EVENTS = 1000
"""At most this many events (the nearest to now): keeps a feed well under 1 MB."""
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""Change time of stops stored before change times were kept (fixed, so feeds stay stable)."""


def feed_path(owner: str) -> str:
    """The feed's path: the mayor's for `staff`, else the member's own."""
    if owner == STAFF:
        return "/feeds/mayor.ics"
    return f"/feeds/members/{quote(owner, safe='')}.ics"


def feed_links(base_url: str, owner: str, token: str) -> tuple[str, str]:
    """The feed as https (for a browser or to paste) and webcal (to subscribe in one click)."""
    parts = urlsplit(base_url.rstrip("/"))
    path = parts.path + feed_path(owner)
    query = f"token={quote(token, safe='')}"
    https = urlunsplit(("https", parts.netloc, path, query, ""))
    webcal = urlunsplit(("webcal", parts.netloc, path, query, ""))
    return https, webcal


@dataclass(frozen=True)
class FeedEntry:
    """A stop as stored, with when its current version was confirmed."""

    stop: StopView
    changed_at: datetime | None

    @property
    def changed(self) -> datetime:
        return self.changed_at or EPOCH

    def leaves_at(self) -> datetime:
        """When it drops out of feeds: a while after its end or after its cancellation."""
        if self.stop.cancelled:
            return min(self.changed + CANCELLED_KEPT, self.stop.ends_at + PAST)
        return self.stop.ends_at + PAST


def withdrawn_for_member(stop: StopView, withdrawn_version: int | None) -> StopView:
    """A stop in a member's feed: cancelled for them once it no longer concerns them (they
    were sent a removal), so their calendar drops it like any cancelled stop."""
    if withdrawn_version is None or stop.cancelled:
        return stop
    return replace(stop, change=StopChangeKind.CANCELLED)


@dataclass(frozen=True)
class FeedWindow:
    """The entries a feed shows now, when it last changed, and until when that holds."""

    entries: tuple[FeedEntry, ...]
    last_modified: datetime
    valid_until: datetime


def feed_window(entries: Sequence[FeedEntry], now: datetime, *, public: bool = False) -> FeedWindow:
    """Bounded horizon: from PAST ago to FUTURE ahead, cancellations kept CANCELLED_KEPT,
    the MAX_EVENTS nearest to now. For a public feed a stop also changes when it ends (its
    exact place is shown from then on), which counts as a modification at that instant."""
    shown, instants, changes = [], [], [EPOCH]
    for entry in entries:
        stop, leaves = entry.stop, entry.leaves_at()
        enters = stop.starts_at - FUTURE
        instants += [leaves, enters] + ([stop.ends_at] if public else [])
        if leaves <= now:
            changes.append(leaves)
            continue
        if enters > now:
            continue
        changes.append(max(entry.changed, enters))
        if public and stop.ends_at <= now:
            changes.append(stop.ends_at)
        shown.append(entry)
    if len(shown) > MAX_EVENTS:
        shown.sort(key=lambda e: abs((e.stop.starts_at - now).total_seconds()))
        shown = shown[:MAX_EVENTS]
    shown.sort(key=lambda e: (e.stop.starts_at, e.stop.stop_id))
    future = [moment for moment in instants if moment > now]
    return FeedWindow(
        tuple(shown),
        last_modified=max(changes),
        valid_until=min(future, default=now + FUTURE),
    )


@dataclass(frozen=True)
class RenderedFeed:
    """A feed's bytes with what HTTP caching needs."""

    body: bytes
    etag: str
    last_modified: datetime
    valid_until: datetime
    fingerprint: Any


RECHECK = timedelta(seconds=1)
"""By default, how long a feed checked against the database (token and fingerprint) is
served without asking again: a change made elsewhere takes effect within this much."""


class FeedCache:
    """Rendered feeds by key, reused while the stored stops are unchanged (same fingerprint)
    and no time-dependent instant has passed; rendering 500 events takes far longer than
    checking that. A feed checked less than RECHECK ago, with the same token, is served
    without asking the database at all (what lets a busy feed answer 304s cheaply)."""

    def __init__(self, recheck: timedelta = RECHECK) -> None:
        self._recheck = recheck
        self._feeds: dict[str, RenderedFeed] = {}
        self._checked: dict[str, tuple[str | None, datetime]] = {}

    def forget(self, key: str) -> None:
        """The feed's token changed here: check the next request against the database."""
        self._checked.pop(key, None)

    def get(self, key: str, fingerprint: Any, now: datetime) -> RenderedFeed | None:
        found = self._feeds.get(key)
        if found is None or found.fingerprint != fingerprint or now >= found.valid_until:
            return None
        return found

    def put(self, key: str, feed: RenderedFeed) -> None:
        self._feeds[key] = feed

    def checked(self, key: str, token: str | None, now: datetime) -> None:
        """The token opened the feed and its fingerprint was current at `now`."""
        self._checked[key] = (token, now)

    def recent(self, key: str, token: str | None, now: datetime) -> RenderedFeed | None:
        """The feed, if checked with this very token less than RECHECK ago and still valid."""
        found, checked = self._feeds.get(key), self._checked.get(key)
        if found is None or checked is None or now >= found.valid_until:
            return None
        known, at = checked
        if not (now - self._recheck < at <= now) or not same_token(known, token):
            return None
        return found


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison (a token is never compared with `==`)."""
    if expected is None or given is None:
        return expected is given
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
