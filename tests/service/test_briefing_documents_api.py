"""Briefing documents through the composition root (SQLite and PostgreSQL, no broker): a day
confirmed, rescheduled and cancelled; read back as Markdown and printable HTML (the PDF
booklet: tests/unit/briefing/test_briefing_render.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot
from schemas.vocabulary import SEOUL
from services.briefing import handlers
from services.briefing.bootstrap import BriefingService, build_briefing_service
from services.briefing.sample_requests import load_sample_member_requests
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app

UNUSED_BROKER = "127.0.0.1:1"
DAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def at(hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=SEOUL)


def snapshot(stop_id: str, version: int, hour: int, **fields: Any) -> StopSnapshot:
    values: dict[str, Any] = dict(
        stop_id=stop_id,
        version=version,
        kind="visit",
        title="노원구 특고압 송전선로 지중화사업 착공식",
        purpose="송전선로 지중화 공사 착수를 알리고 주민 불편 최소화를 약속한다.",
        category="groundbreaking",
        policy_area="urban_planning",
        place_name="월계역 환승주차장",
        district="노원구",
        latitude=37.6331,
        longitude=127.0587,
        starts_at=at(hour),
        ends_at=at(hour) + timedelta(hours=1),
        public=True,
        important=True,
        requesting_department="도시기반시설본부",
    )
    return StopSnapshot(**(values | fields))


def confirmed(*changes: StopChange, plan_version: int = 1) -> Envelope[Any]:
    payload = ItineraryConfirmed(
        itinerary_date=DAY,
        plan_version=plan_version,
        proposal_id="pr-1",
        confirmed_by="일정팀",
        changes=list(changes),
    )
    return ITINERARY_CONFIRMED.envelope(payload, producer="scheduler", correlation_id="c-1")


@pytest.fixture
async def service(database_url: str, tmp_path: Path) -> AsyncIterator[BriefingService]:
    briefing = build_briefing_service(
        BriefingSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
    )
    briefing.migrate()
    briefing.events_staged = lambda: None  # type: ignore[method-assign]  # no relay here
    yield briefing
    briefing.engine.dispose()


def brief(service: BriefingService, envelope: Envelope[Any]) -> int:
    return handlers.when_itinerary_confirmed_build_briefings(
        service.uow(),
        envelope,
        now=NOW,
        records=service.record_source,
        council=service.council,
    )


async def test_a_day_of_briefings_reads_as_markdown_and_html_booklet(
    service: BriefingService,
) -> None:
    load_sample_member_requests(service, now=NOW)
    nowon = snapshot("stop-nowon", 1, 16)
    wirye = snapshot(
        "stop-wirye",
        1,
        10,
        title="위례트램 도시철도 착공식",
        purpose="위례선 트램 착공을 알리고 교통 편의를 약속한다.",
        place_name="위례중앙광장",
        district="송파구",
        latitude=37.4786,
        longitude=127.1442,
        policy_area="transport",
    )
    assert (
        brief(
            service,
            confirmed(
                StopChange(change="scheduled", stop=nowon),
                StopChange(change="scheduled", stop=wirye),
            ),
        )
        == 2
    )
    moved = snapshot("stop-nowon", 2, 17)
    assert (
        brief(
            service,
            confirmed(StopChange(change="rescheduled", stop=moved, previous=nowon), plan_version=2),
        )
        == 1
    )

    app = build_http_app({"briefing": service.router}, {})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        markdown = await http.get("/api/briefings/stop-nowon.md")
        assert markdown.status_code == 200
        assert markdown.headers["content-type"].startswith("text/markdown")
        text = markdown.text
        for title in (
            "방문 개요",
            "핵심 메시지",
            "현황 및 수치",
            "지역 현안",
            "예상 질의",
            "유의사항",
        ):
            assert f"## {title}" in text
        assert "브리핑 2판" in text and "일시: 2026년 12월 3일(목) 16:00–17:00 → " in text
        assert "송전선로 지중화 공사 기간 중 월계역 주변 보행로" in text  # the sample request
        assert re.search(r"원문: “[^”]+”", text)

        page = await http.get("/api/briefings/stop-wirye.html")
        assert page.headers["content-type"].startswith("text/html")
        assert "<h2>핵심 메시지</h2>" in page.text and "@page" in page.text

        booklet = await http.get(f"/api/briefings/day/{DAY.isoformat()}.html")
        body = booklet.text
        assert body.index("위례트램 도시철도 착공식") < body.index("노원구 특고압")  # time order
        assert body.count('<article class="stop"') == 2

        versions = (await http.get("/api/briefings/stop-nowon")).json()
        assert [(v["briefing_version"], v["withdrawn"]) for v in versions] == [
            (2, False),
            (1, False),
        ]
        kb_version = service.records.snapshot().version
        assert {v["knowledge_base_version"] for v in versions} == {kb_version}
        cited = [p["citation"] for p in versions[0]["talking_points"] if p["citation"]]
        assert cited and all(c["excerpt"] in markdown.text for c in cited)
        assert (await http.get("/api/briefings/nope.md")).status_code == 404
        empty = await http.get("/api/briefings/day/2026-12-25.html")
        assert "브리핑이 없습니다" in empty.text
        assert (await http.get("/api/briefings/day/not-a-day.html")).status_code == 422

    cancelled = snapshot("stop-wirye", 2, 10, title="위례트램 도시철도 착공식", district="송파구")
    brief(
        service,
        confirmed(StopChange(change="cancelled", stop=cancelled, previous=wirye), plan_version=3),
    )
    withdrawn = handlers.latest_document(service.uow(), "stop-wirye")
    assert withdrawn.withdrawn and withdrawn.briefing_version == 2
    later = handlers.day_documents(service.uow(), DAY)
    assert [d.stop_id for d in later] == ["stop-wirye", "stop-nowon"]
