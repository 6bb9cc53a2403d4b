"""HTTP routes of the notifier: calendar feeds (with HTTP caching and token rotation) and the
list of notices sent.

The mayor's internal feed link is for staff only: there is no login yet, so no route hands
it out; `dongseon up` prints it to whoever started the system.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from schemas.vocabulary import StopChangeKind
from services.common.http import error_responses
from services.notifier import handlers
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.feeds import STAFF, FeedCache, RenderedFeed, feed_links
from services.notifier.feed_handlers import (
    PUBLIC,
    revoke_feed_token,
    rotate_feed_token,
    serve_feed,
)
from services.notifier.ports import NotifierPorts

T = TypeVar("T")
Token = Annotated[str, Query(min_length=8, description="The feed's secret token.")]
CurrentToken = Annotated[
    str, Header(alias="X-Feed-Token", min_length=8, description="The feed's current token.")
]
PUBLIC_MAX_AGE = 900
PRIVATE_MAX_AGE = 300


class FeedLinkOut(BaseModel):
    owner: str = Field(description="`staff` (the mayor's feed) or a member id.")
    https: str = Field(description="The feed over https.")
    webcal: str = Field(description="The same feed for one-click subscription (webcal://).")


class NoticeOut(BaseModel):
    id: str
    stop_id: str
    stop_version: int
    member_id: str
    change: StopChangeKind
    purpose: DeliveryPurpose = Field(description="`notice`, `reminder` or `follow_up`.")
    to_address: str
    subject: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class MemberOut(BaseModel):
    id: str
    name: str
    district: str | None
    committees: list[str]
    roles: list[str]
    caucus: str


def build_router(notifier: NotifierPorts) -> APIRouter:
    router = APIRouter(tags=["notifier"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, notifier.uow(), *args, **kwargs))

    cache = FeedCache(timedelta(seconds=notifier.settings.feed_recheck_seconds))

    async def feed(request: Request, owner: str, token: str | None) -> Response:
        now = _now()
        rendered = cache.recent(owner, token, now)  # checked a moment ago: no query
        if rendered is None:
            rendered = await run(serve_feed, owner, token, now, cache)
        return _calendar(request, rendered, public=owner == PUBLIC)

    @router.get("/feeds/public.ics", response_class=Response)
    async def public_feed(request: Request) -> Response:
        """Public stops only; until a stop has ended, only its district."""
        return await feed(request, PUBLIC, None)

    @router.get("/feeds/mayor.ics", response_class=Response, responses=error_responses(404))
    async def internal_feed(request: Request, token: Token) -> Response:
        """The mayor's whole itinerary, for staff (the link is printed by `dongseon up`)."""
        return await feed(request, STAFF, token)

    @router.get(
        "/feeds/members/{member_id}.ics", response_class=Response, responses=error_responses(404)
    )
    async def member_feed(request: Request, member_id: str, token: Token) -> Response:
        """The stops this member was told of."""
        return await feed(request, member_id, token)

    @router.post(
        "/api/feeds/{owner}/token/rotate",
        response_model=FeedLinkOut,
        responses=error_responses(404, 422),
    )
    async def rotate_token(owner: str, current: CurrentToken) -> FeedLinkOut:
        """Replace a feed's token (the holder of the current one only); old links stop."""
        token = await run(rotate_feed_token, owner, current, _now())
        cache.forget(owner)
        https, webcal = feed_links(notifier.settings.public_base_url, owner, token)
        return FeedLinkOut(owner=owner, https=https, webcal=webcal)

    @router.post(
        "/api/feeds/{owner}/token/revoke",
        status_code=204,
        response_class=Response,
        responses=error_responses(404, 422),
    )
    async def revoke_token(owner: str, current: CurrentToken) -> Response:
        """Withdraw a feed's link; the secretariat issues a new one."""
        await run(revoke_feed_token, owner, current)
        cache.forget(owner)
        return Response(status_code=204)

    @router.get("/api/members", response_model=list[MemberOut])
    async def members() -> list[MemberOut]:
        return [
            MemberOut(
                id=m.id,
                name=m.name,
                district=m.district,
                committees=sorted(m.committees),
                roles=sorted(m.roles),
                caucus=m.caucus,
            )
            for m in await run(handlers.list_members)
        ]

    @router.get("/api/notices", response_model=list[NoticeOut])
    async def notices(limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[NoticeOut]:
        deliveries = await run(handlers.recent_notices, limit)
        return [NoticeOut.model_validate(d, from_attributes=True) for d in deliveries]

    @router.get("/notices", response_class=HTMLResponse, include_in_schema=False)
    async def notices_page() -> str:
        return _notices_html(await run(handlers.recent_notices, 500))

    return router


def _now() -> datetime:
    return datetime.now(UTC)


def _calendar(request: Request, feed: RenderedFeed, *, public: bool) -> Response:
    """The feed with ETag and Last-Modified; 304 when the client's copy is current
    (If-None-Match first, else If-Modified-Since, as RFC 9110 orders them)."""
    headers = {
        "ETag": feed.etag,
        "Last-Modified": format_datetime(feed.last_modified.astimezone(UTC), usegmt=True),
        "Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}"
        if public
        else f"private, max-age={PRIVATE_MAX_AGE}",
    }
    if _not_modified(request, feed):
        return Response(status_code=304, headers=headers)
    return Response(feed.body, media_type="text/calendar; charset=utf-8", headers=headers)


def _not_modified(request: Request, feed: RenderedFeed) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or feed.etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return feed.last_modified.replace(microsecond=0) <= since


def _notices_html(rows: Sequence[Delivery]) -> str:
    esc = html.escape
    body = "".join(
        f"<tr><td>{esc(r.created_at.isoformat(timespec='minutes'))}</td><td>{esc(r.to_address)}</td>"
        f"<td><details><summary>{esc(r.subject)}</summary><pre>{esc(r.notice.text_body)}</pre></details></td>"
        f"<td>{esc(r.status.label)}</td></tr>"
        for r in rows
    )
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>사전안내 발송 내역</title>"
        "<meta http-equiv='refresh' content='5'>"
        "<style>body{font-family:system-ui,sans-serif;margin:24px}td,th{border-bottom:1px solid #eee;"
        "padding:4px 8px;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style></head><body>"
        "<p><a href='/'>← 일정 기획</a></p>"
        f"<h1>사전안내 발송 내역 ({len(rows)}건)</h1>"
        "<table><tr><th>생성</th><th>받는 사람</th><th>제목</th><th>상태</th></tr>"
        f"{body}</table></body></html>"
    )
