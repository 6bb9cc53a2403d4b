"""HTTP routes of the notifier: calendar feeds and the list of notices sent."""

from __future__ import annotations

import asyncio
import hashlib
import html
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from schemas.vocabulary import StopChangeKind
from services.common.errors import NotFound
from services.common.http import error_responses
from services.notifier import handlers
from services.notifier.domain.deliveries import Delivery, DeliveryStatus
from services.notifier.domain.feeds import STAFF
from services.notifier.ports import NotifierPorts

T = TypeVar("T")
LOOPBACK = frozenset({"127.0.0.1", "::1"})
Token = Annotated[str, Query(min_length=8, description="The feed's secret token.")]


class NoticeOut(BaseModel):
    id: str
    stop_id: str
    stop_version: int
    member_id: str
    change: StopChangeKind
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

    @router.get("/feeds/public.ics", response_class=Response)
    async def public_feed(request: Request) -> Response:
        return _calendar(request, await run(handlers.public_feed, now=_now()))

    @router.get("/feeds/mayor.ics", response_class=Response, responses=error_responses(404))
    async def internal_feed(request: Request, token: Token) -> Response:
        return _calendar(request, await run(handlers.internal_feed, token, now=_now()))

    @router.get(
        "/feeds/members/{member_id}.ics", response_class=Response, responses=error_responses(404)
    )
    async def member_feed(request: Request, member_id: str, token: Token) -> Response:
        return _calendar(request, await run(handlers.member_feed, member_id, token, now=_now()))

    @router.get("/feeds/internal-link", include_in_schema=False)
    async def internal_link(request: Request) -> dict[str, str]:
        """The console's link to the internal feed; only for a browser on this machine."""
        if request.client is None or request.client.host not in LOOPBACK:
            raise NotFound("피드", "internal-link")
        token = await run(handlers.feed_token, STAFF, now=_now())
        return {"url": f"/feeds/mayor.ics?token={token}"}

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


def _calendar(request: Request, body: bytes) -> Response:
    """The feed with an ETag, so calendar apps polling every 15 minutes get 304s."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


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
