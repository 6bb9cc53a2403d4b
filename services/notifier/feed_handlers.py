"""Feed use cases: serve a feed (cached while unchanged), rotate or revoke its token.

A private feed's token is compared in constant time and never logged; a wrong token, a
revoked one and an unknown owner all answer the same 404.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from services.common.errors import NotFound
from services.notifier.domain.calendar import Audience, render_feed
from services.notifier.domain.feeds import (
    STAFF,
    FeedCache,
    RenderedFeed,
    feed_window,
    same_token,
)
from services.notifier.ports import NotifierRepository, NotifierUnitOfWork

PUBLIC = "public"
PUBLIC_NAME = "서울시장 공개 일정"
INTERNAL_NAME = "서울시장 일정 (내부)"


def serve_feed(
    uow: NotifierUnitOfWork,
    owner: str,
    token: str | None,
    now: datetime,
    cache: FeedCache | None = None,
) -> RenderedFeed:
    """The feed of `owner` (`public`, `staff` or a member id), from the cache when the
    stored stops have not changed and no time-dependent instant has passed since."""
    with uow:
        name = _check_access(uow.repo, owner, token)
        member_id = None if owner in (PUBLIC, STAFF) else owner
        fingerprint = uow.repo.feed_fingerprint(member_id)
        cached = cache.get(owner, fingerprint, now) if cache else None
        if cache is not None:
            cache.checked(owner, token, now)
        if cached is not None:
            return cached
        entries = uow.repo.feed_entries(member_id)
    audience = {PUBLIC: Audience.PUBLIC, STAFF: Audience.INTERNAL}.get(owner, Audience.MEMBER)
    if audience is Audience.PUBLIC:
        entries = [e for e in entries if e.stop.public]
    window = feed_window(entries, now, public=audience is Audience.PUBLIC)
    body = render_feed(name, window, audience, now)
    feed = RenderedFeed(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        last_modified=window.last_modified,
        valid_until=window.valid_until,
        fingerprint=fingerprint,
    )
    if cache is not None:
        cache.put(owner, feed)
    return feed


def rotate_feed_token(uow: NotifierUnitOfWork, owner: str, current: str, now: datetime) -> str:
    """A new token for whoever holds the current one; the old link stops working."""
    with uow:
        _check_access(uow.repo, owner, current, private_only=True)
        token = uow.repo.replace_token(owner, now)
        uow.commit()
    return token


def revoke_feed_token(uow: NotifierUnitOfWork, owner: str, current: str) -> None:
    """Withdraw the feed link; a new one is issued by the secretariat (`feed_token`)."""
    with uow:
        _check_access(uow.repo, owner, current, private_only=True)
        uow.repo.revoke_token(owner)
        uow.commit()


def _check_access(
    repo: NotifierRepository, owner: str, token: str | None, *, private_only: bool = False
) -> str:
    """The feed's name if `token` opens it; NotFound otherwise (the same for every reason)."""
    if owner == PUBLIC and not private_only:
        return PUBLIC_NAME
    if owner == PUBLIC:
        raise NotFound("피드", owner)
    name = INTERNAL_NAME
    if owner != STAFF:
        member = repo.get_member(owner)
        if member is None:
            raise NotFound("피드", owner)
        name = f"시장 일정 사전안내 — {member.name} 의원"
    expected = repo.token_of(owner)
    if expected is None or token is None or not same_token(expected, token):
        raise NotFound("피드", owner)
    return name
