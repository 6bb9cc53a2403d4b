"""Who is told, why, when and how, through the notifier's composition root and HTTP API, on
SQLite and PostgreSQL: stored decisions answer "why", notices wait for their lead time,
a move supersedes what was not sent, operators add/exclude, members set preferences."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.briefing import BriefedStop, BriefingReady
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY
from schemas.vocabulary import StopChangeKind
from services.cli.app import build_http_app
from services.notifier import handlers
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.recipients import CouncilMember
from services.notifier.settings import NotifierSettings

UNUSED_BROKER = "127.0.0.1:1"
NOW = datetime.now(UTC).replace(microsecond=0)
START = NOW + timedelta(days=5)


class AcceptingMailer:
    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


@dataclass
class Running:
    notifier: Notifier
    mailer: AcceptingMailer
    http: httpx.AsyncClient


def person(id: str, district: str | None, roles: frozenset[str] = frozenset()) -> CouncilMember:
    return CouncilMember(
        id, f"의원{id}", f"{id}@council.example", district, frozenset(), roles, "가당"
    )


@pytest.fixture
async def running(database_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    mailer = AcceptingMailer()
    settings = NotifierSettings(
        database_url=database_url, data_dir=tmp_path, send_at_lead_time=True
    )
    notifier = build_notifier(settings, UNUSED_BROKER, mailer=mailer)
    notifier.migrate()
    suffix = uuid.uuid4().hex[:6]  # PostgreSQL is shared between tests: ids of our own
    roster = [
        person(f"nowon-{suffix}", "노원구"),
        person(f"dobong-{suffix}", "도봉구"),
        person(f"chair-{suffix}", None, frozenset({"chair"})),
    ]
    handlers.load_roster(notifier.uow(), roster, NOW)
    app = build_http_app({"notifier": notifier.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        http.headers["x-suffix"] = suffix
        yield Running(notifier, mailer, http)
    notifier.engine.dispose()


def briefing(
    stop_id: str, version: int, change: StopChangeKind, hours: int = 0, **kw: Any
) -> Envelope[Any]:
    starts = START + timedelta(hours=hours)

    def snapshot(v: int, at: datetime) -> BriefedStop:
        return BriefedStop(
            stop_id=stop_id, version=v, title="착공식", purpose="착공 축하",
            category="groundbreaking", place_name="월계역 환승주차장", district="노원구",
            starts_at=at, ends_at=at + timedelta(hours=1), public=True,
            important=kw.get("important", False), requesting_department="도시기반시설본부",
        )  # fmt: skip

    previous = snapshot(version - 1, START) if change is StopChangeKind.RESCHEDULED else None
    payload = BriefingReady(
        briefing_id=f"br-{uuid.uuid4().hex[:8]}", change=change, stop=snapshot(version, starts),
        previous=previous, summary="요약", talking_points=[], knowledge_base_version="kb",
    )  # fmt: skip
    return BRIEFING_READY.envelope(payload, producer="briefing", correlation_id="req-1")


def queue(r: Running, event: Envelope[Any]) -> int:
    return handlers.when_briefing_ready_queue_notices(
        r.notifier.uow(), event, organizer_email="s@seoul.example", now=NOW,
        rules=r.notifier.settings.rule_set(),
    )  # fmt: skip


async def notices_of(r: Running, stop_id: str) -> list[dict[str, Any]]:
    rows = (await r.http.get("/api/notices", params={"limit": 1000})).json()
    return [n for n in rows if n["stop_id"] == stop_id]


async def test_a_notice_says_why_waits_for_its_lead_time_and_a_move_supersedes_it(
    running: Running,
) -> None:
    r, stop_id, sfx = running, f"stop-{uuid.uuid4().hex[:8]}", running.http.headers["x-suffix"]
    assert queue(r, briefing(stop_id, 1, StopChangeKind.SCHEDULED, important=True)) == 2

    notices = await notices_of(r, stop_id)
    nowon = next(n for n in notices if n["member_id"] == f"nowon-{sfx}")
    why = (await r.http.get(f"/api/notices/{nowon['id']}/why")).json()
    assert why["notice"]["state"] == "scheduled"
    assert why["notice"]["not_before"].startswith(
        (START - timedelta(hours=48)).strftime("%Y-%m-%dT%H:%M")
    )
    assert [d["rule"] for d in why["decisions"]] == ["district_members"]
    assert why["decisions"][0]["rule_label"] == "지역구 시의원 사전설명"
    assert "지역구(노원구) 시의원" in why["notice"]["reason"]
    assert await r.notifier.dispatcher.send_due() == 0, "nothing is due before the lead time"

    assert queue(r, briefing(stop_id, 2, StopChangeKind.RESCHEDULED, hours=2)) == 1

    first = (await r.http.get(f"/api/notices/{nowon['id']}/state")).json()
    assert first["state"] == "superseded" and first["state_label"].startswith("대체됨")
    assert first["superseded_by"] is not None
    replacement = (await r.http.get(f"/api/notices/{first['superseded_by']}/state")).json()
    assert (replacement["stop_version"], replacement["state"]) == (2, "scheduled")
    chair = [n for n in await notices_of(r, stop_id) if n["member_id"] == f"chair-{sfx}"]
    assert [n["status"] for n in chair] == ["superseded"], "no longer important: not told"

    decisions = (await r.http.get(f"/api/members/nowon-{sfx}/decisions")).json()
    assert {(d["stop_version"], d["rule"]) for d in decisions if d["stop_id"] == stop_id} == {
        (1, "district_members"),
        (2, "district_members"),
    }


async def test_an_operator_adds_and_excludes_with_a_reason(running: Running) -> None:
    r, stop_id, sfx = running, f"stop-{uuid.uuid4().hex[:8]}", running.http.headers["x-suffix"]
    queue(r, briefing(stop_id, 1, StopChangeKind.SCHEDULED))

    added = await r.http.post(
        f"/api/stops/{stop_id}/recipients",
        json={"member_id": f"dobong-{sfx}", "action": "add", "reason": "인접 지역 민원 대표"},
    )
    excluded = await r.http.post(
        f"/api/stops/{stop_id}/recipients",
        json={"member_id": f"nowon-{sfx}", "action": "exclude", "reason": "해외 출장"},
    )

    assert added.status_code == 200 and added.json()["queued"] == 1
    assert added.json()["decisions"][0]["rule"] == "operator_added"
    assert {(d["rule"], d["included"]) for d in excluded.json()["decisions"]} == {
        ("operator_excluded", False),
        ("district_members", False),
    }
    states = {n["member_id"]: n["status"] for n in await notices_of(r, stop_id)}
    assert states == {f"dobong-{sfx}": "pending", f"nowon-{sfx}": "superseded"}
    page = await r.http.get(f"/members/dobong-{sfx}")
    assert "인접 지역 민원 대표" in page.text and "담당자 추가 지정" in page.text

    blank = await r.http.post(
        f"/api/stops/{stop_id}/recipients",
        json={"member_id": f"nowon-{sfx}", "action": "add", "reason": "  "},
    )
    missing = await r.http.post(
        "/api/stops/no-such-stop/recipients",
        json={"member_id": f"nowon-{sfx}", "action": "add", "reason": "x"},
    )
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reason"
    assert "사유" in blank.json()["errors"][0]["reason"]
    assert missing.status_code == 404 and "일정" in missing.json()["detail"]


async def test_preferences_are_read_and_updated_with_korean_errors(running: Running) -> None:
    r, sfx = running, running.http.headers["x-suffix"]
    url = f"/api/members/nowon-{sfx}/preferences"

    assert (await r.http.get(url)).json()["channels"] == ["email"]
    saved = await r.http.put(
        url,
        json={
            "channels": ["email", "webhook"],
            "webhook_url": "https://chat.example/hook",
            "quiet_hours": {"start": "22:00", "end": "07:00"},
            "daily_digest": True,
        },
    )
    again = await r.http.put(
        url, json={"channels": ["webhook"], "webhook_url": "https://chat.example/hook"}
    )
    refused = await r.http.put(url, json={"channels": ["webhook"]})

    assert saved.status_code == 200, saved.text
    secret = saved.json()["webhook_secret"]
    assert secret and again.json()["webhook_secret"] == secret, "kept until rotated"
    read = (await r.http.get(url)).json()
    assert read["channels"] == ["webhook"] and read["quiet_hours"] is None
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "webhook_url", "reason": "웹훅을 선택하면 웹훅 주소가 필요합니다"}
    ]
    assert (await r.http.get("/api/members/nobody/preferences")).status_code == 404
