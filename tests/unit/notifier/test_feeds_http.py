"""The feed routes as a calendar client sees them: validators, 304s, caching, token rotation.

The notifier is built through its composition root on a SQLite file (no broker started).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from services.common.http import install_error_handlers
from services.notifier import handlers
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.feeds import STAFF, FeedCache, RenderedFeed
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.stops import StopView
from services.notifier.settings import NotifierSettings

CHANGED = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
STARTS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
MEMBER = CouncilMember(
    id="m-1",
    name="강노원",
    email="m1@council.example",
    district="노원구",
    committees=frozenset(),
    roles=frozenset(),
    caucus="가당",
)


def stop(stop_id: str, version: int = 1, public: bool = True) -> StopView:
    return StopView(
        stop_id=stop_id,
        version=version,
        title="송전선로 지중화 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        policy_area=None,
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=1),
        public=public,
        important=False,
        change="scheduled",
    )


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[Notifier, httpx.AsyncClient]]:
    settings = NotifierSettings(
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        data_dir=tmp_path,
        public_base_url="https://dongseon.seoul.example",
        feed_recheck_seconds=0,  # every request asks the database (changes show at once)
    )
    notifier = build_notifier(settings, "127.0.0.1:1")
    notifier.migrate()
    handlers.load_roster(notifier.uow(), [MEMBER], CHANGED)
    with notifier.uow() as uow:
        uow.repo.save_stop_if_newer(stop("s-1"), CHANGED)
        uow.repo.save_stop_if_newer(stop("s-2", public=False), CHANGED)
        uow.repo.add_audience("s-1", ["m-1"])
        uow.commit()
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(notifier.router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield notifier, client
    notifier.engine.dispose()


def token(notifier: Notifier, owner: str) -> str:
    return handlers.feed_token(notifier.uow(), owner, CHANGED)


async def test_public_feed_is_public_cacheable_and_answers_304(
    service: tuple[Notifier, httpx.AsyncClient],
) -> None:
    _, client = service
    first = await client.get("/feeds/public.ics")
    again = await client.get("/feeds/public.ics")

    assert first.status_code == 200 and first.content == again.content
    assert first.headers["Cache-Control"] == "public, max-age=900"
    assert first.headers["Last-Modified"] == format_datetime(CHANGED, usegmt=True)
    assert b"s-2@" not in first.content, "a non-public stop never reaches the public feed"
    etag = first.headers["ETag"]
    assert (
        await client.get("/feeds/public.ics", headers={"If-None-Match": etag})
    ).status_code == 304
    weak = await client.get("/feeds/public.ics", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert (await client.get("/feeds/public.ics", headers=since)).status_code == 304
    earlier = {"If-Modified-Since": format_datetime(CHANGED - timedelta(seconds=1), usegmt=True)}
    assert (await client.get("/feeds/public.ics", headers=earlier)).status_code == 200


async def test_a_changed_stop_changes_the_etag_and_last_modified(
    service: tuple[Notifier, httpx.AsyncClient],
) -> None:
    notifier, client = service
    before = await client.get("/feeds/public.ics")
    later = CHANGED + timedelta(hours=5)
    with notifier.uow() as uow:
        uow.repo.save_stop_if_newer(stop("s-1", version=2), later)
        uow.commit()

    after = await client.get("/feeds/public.ics", headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Last-Modified"] == format_datetime(later, usegmt=True)
    assert b"SEQUENCE:2" in after.content


async def test_private_feeds_need_their_token_and_are_private(
    service: tuple[Notifier, httpx.AsyncClient],
) -> None:
    notifier, client = service
    member = await client.get("/feeds/members/m-1.ics", params={"token": token(notifier, "m-1")})
    mayor = await client.get("/feeds/mayor.ics", params={"token": token(notifier, STAFF)})

    assert member.status_code == 200 and mayor.status_code == 200
    assert member.headers["Cache-Control"] == "private, max-age=300"
    assert b"s-1@" in member.content and b"s-2@" not in member.content
    assert b"s-2@" in mayor.content
    wrong = await client.get("/feeds/mayor.ics", params={"token": token(notifier, "m-1")})
    assert wrong.status_code == 404
    assert (await client.get("/feeds/internal-link")).status_code == 404, "no longer handed out"


async def test_a_token_is_rotated_or_revoked_by_its_holder_only(
    service: tuple[Notifier, httpx.AsyncClient],
) -> None:
    notifier, client = service
    old = token(notifier, "m-1")
    url = "/api/feeds/m-1/token/rotate"

    assert (await client.post(url, headers={"X-Feed-Token": "not-the-token"})).status_code == 404
    rotated = await client.post(url, headers={"X-Feed-Token": old})

    assert rotated.status_code == 200
    links = rotated.json()
    new = links["https"].split("token=")[1]
    assert links["https"] == f"https://dongseon.seoul.example/feeds/members/m-1.ics?token={new}"
    assert links["webcal"].startswith("webcal://dongseon.seoul.example/feeds/members/m-1.ics")
    assert new != old
    assert (await client.get("/feeds/members/m-1.ics", params={"token": old})).status_code == 404
    assert (await client.get("/feeds/members/m-1.ics", params={"token": new})).status_code == 200

    revoked = await client.post("/api/feeds/m-1/token/revoke", headers={"X-Feed-Token": new})
    assert revoked.status_code == 204
    assert (await client.get("/feeds/members/m-1.ics", params={"token": new})).status_code == 404
    public = await client.post("/api/feeds/public/token/rotate", headers={"X-Feed-Token": new})
    assert public.status_code == 404


def test_a_recently_checked_feed_is_reused_only_with_the_same_token_and_briefly() -> None:
    cache = FeedCache(timedelta(seconds=1))
    feed = RenderedFeed(b"x", '"e"', CHANGED, CHANGED + timedelta(days=1), fingerprint=(1,))
    cache.put("m-1", feed)
    cache.checked("m-1", "token-a", CHANGED)

    assert cache.recent("m-1", "token-a", CHANGED + timedelta(milliseconds=500)) is feed
    assert cache.recent("m-1", "token-b", CHANGED) is None, "another token is checked again"
    assert cache.recent("m-1", "token-a", CHANGED + timedelta(seconds=1)) is None
    cache.forget("m-1")
    assert cache.recent("m-1", "token-a", CHANGED) is None, "forgotten after a rotation"
