"""The members' requests over HTTP, in process (SQLite; the repository is proven on both
databases in tests/integration): record, filter, move, refuse, and the sample loads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from services.briefing.adapters.orm import BriefingOutbox
from services.briefing.bootstrap import BriefingService, build_briefing_service
from services.briefing.sample_requests import load_sample_member_requests, read_sample_requests
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app

UNUSED_BROKER = "127.0.0.1:1"


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[BriefingService]:
    briefing = build_briefing_service(BriefingSettings(data_dir=tmp_path), UNUSED_BROKER)
    briefing.migrate()
    briefing.events_staged = lambda: None  # type: ignore[method-assign]  # no relay running
    yield briefing
    briefing.engine.dispose()


@pytest.fixture
async def http(service: BriefingService) -> AsyncIterator[httpx.AsyncClient]:
    app = build_http_app({"briefing": service.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client


async def test_record_route_and_answer_over_http(
    http: httpx.AsyncClient, service: BriefingService
) -> None:
    created = await http.post(
        "/api/member-requests",
        json={"member_id": "m-021", "text": "보행로 안전 확보", "stop_id": "stop-1"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["member_name"], body["district"], body["status"]) == (
        "성빛나",
        "노원구",
        "received",
    )
    request_id = body["id"]

    refused = await http.post(
        f"/api/member-requests/{request_id}/transitions", json={"status": "answered"}
    )
    assert refused.status_code == 409
    assert "'접수' 상태에서는 '조치 완료'(으)로 바꿀 수 없습니다" in refused.json()["detail"]

    no_department = await http.post(
        f"/api/member-requests/{request_id}/transitions", json={"status": "routed"}
    )
    assert no_department.status_code == 422
    assert no_department.json()["errors"][0]["field"] == "department"

    for step in (
        {"status": "routed", "department": "도시기반시설본부", "changed_by": "대외협력팀"},
        {"status": "answered", "action_taken": "안전펜스 설치", "changed_by": "도시기반시설본부"},
    ):
        moved = await http.post(f"/api/member-requests/{request_id}/transitions", json=step)
        assert moved.status_code == 200, moved.text
    answered = moved.json()
    assert answered["status"] == "answered" and answered["action_taken"] == "안전펜스 설치"
    assert [h["by"] for h in answered["history"]] == ["비서실", "대외협력팀", "도시기반시설본부"]

    mine = await http.get("/api/member-requests", params={"member_id": "m-021"})
    assert [r["id"] for r in mine.json()] == [request_id]
    still_open = await http.get(
        "/api/member-requests",
        params=[("district", "노원구"), ("status", "received"), ("status", "routed")],
    )
    assert still_open.json() == []
    with service.uow() as uow:
        types = [row.event_type for row in uow.session.exec(select(BriefingOutbox))]
    assert types == [
        "member_request.recorded",
        "member_request.updated",
        "member_request.answered",
    ]


async def test_refusals_name_the_field_in_korean(http: httpx.AsyncClient) -> None:
    unknown = await http.post(
        "/api/member-requests", json={"member_id": "m-999", "text": "x", "session": "s"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "member_id"
    no_origin = await http.post("/api/member-requests", json={"member_id": "m-021", "text": "x"})
    assert no_origin.status_code == 422 and no_origin.json()["errors"][0]["field"] == "session"
    bad_district = await http.post(
        "/api/member-requests",
        json={"member_id": "m-021", "text": "x", "session": "s", "district": "부산"},
    )
    assert bad_district.json()["errors"][0]["field"] == "district"
    missing = await http.post("/api/member-requests/mr-nope/transitions", json={"status": "routed"})
    assert missing.status_code == 404


async def test_the_fictional_sample_loads_once_with_open_and_answered_items(
    http: httpx.AsyncClient, service: BriefingService
) -> None:
    now = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    sample = read_sample_requests()
    assert sample.fictional and "가상" in sample.notice
    assert load_sample_member_requests(service, now=now) == len(sample.requests)
    assert load_sample_member_requests(service, now=now) == 0
    everything = (await http.get("/api/member-requests")).json()
    assert len(everything) == len(sample.requests)
    assert len({r["district"] for r in everything}) >= 10
    statuses = {r["status"] for r in everything}
    assert statuses == {"received", "routed", "in_progress", "answered"}
    assert len({r["session"] for r in everything}) >= 5
