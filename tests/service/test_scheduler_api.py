"""The scheduler's HTTP contract: 4xx answers name the field and the reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)


def at(hour: int, minute: int = 0, *, naive: bool = False) -> str:
    """A time on DAY in Seoul, as the API receives it."""
    moment = datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=SEOUL)
    return moment.replace(tzinfo=None).isoformat() if naive else moment.isoformat()


CITY_HALL = {"name": "서울시청", "district": "중구", "latitude": 37.5663, "longitude": 126.9779}
YONGSAN = {
    "name": "용산 대통령실",
    "district": "용산구",
    "latitude": 37.5311,
    "longitude": 126.9811,
}


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    scheduler.migrate()
    app = build_http_app({"scheduler": scheduler.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client
    scheduler.engine.dispose()


def valid_request(**fields: object) -> dict[str, object]:
    return {
        "title": "인왕시장 방문",
        "purpose": "전통시장 상인 애로사항 청취",
        "category": "livelihood",
        "place": {
            "name": "인왕시장",
            "district": "서대문구",
            "latitude": 37.5747,
            "longitude": 126.9456,
        },
        "duration_minutes": 60,
        "windows": [{"start": at(10), "end": at(12)}],
        "priority": 3,
        "requesting_department": "소상공인정책담당관",
        **fields,
    }


async def errors_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


async def test_a_valid_request_is_stored_and_listed(http: httpx.AsyncClient) -> None:
    created = await http.post("/api/visit-requests", json=valid_request())
    assert created.status_code == 201
    listed = (await http.get("/api/visit-requests")).json()
    assert [r["id"] for r in listed] == [created.json()["id"]]
    assert listed[0]["status"] == "open"


async def test_unknown_district_is_refused_with_the_field(http: httpx.AsyncClient) -> None:
    body = valid_request(
        place={"name": "x", "district": "해운대구", "latitude": 37.5, "longitude": 127.0}
    )
    errors = await errors_of(await http.post("/api/visit-requests", json=body))
    assert "해운대구" in errors["place.district"]


async def test_window_too_short_for_the_visit_is_refused(http: httpx.AsyncClient) -> None:
    errors = await errors_of(
        await http.post("/api/visit-requests", json=valid_request(duration_minutes=180))
    )
    assert "180분" in next(iter(errors.values()))


async def test_naive_datetimes_and_bad_priority_name_their_fields(http: httpx.AsyncClient) -> None:
    body = valid_request(
        priority=9, windows=[{"start": at(10, naive=True), "end": at(12, naive=True)}]
    )
    errors = await errors_of(await http.post("/api/visit-requests", json=body))
    assert {"priority", "windows.0.start", "windows.0.end"} <= set(errors)
    assert (await http.get("/api/visit-requests")).json() == [], "nothing invalid was stored"


async def test_clashing_commitments_make_the_plan_infeasible_and_say_which(
    http: httpx.AsyncClient,
) -> None:
    cabinet = {
        "title": "국무회의",
        "place": YONGSAN,
        "starts_at": at(10),
        "ends_at": at(11, 30),
    }
    briefing = {
        "title": "기자설명회",
        "place": CITY_HALL,
        "starts_at": at(11),
        "ends_at": at(12),
    }
    ids = [(await http.post("/api/commitments", json=c)).json()["id"] for c in (cabinet, briefing)]

    response = await http.post("/api/proposals", json={"plan_date": DAY.isoformat()})
    assert response.status_code == 422
    [conflict] = response.json()["conflicts"]
    assert {f"{i}@{DAY.isoformat()}" for i in ids} == set(conflict["constraints"]), (
        "the week model names each commitment's occurrence"
    )
    assert "국무회의" in conflict["reason"] and "기자설명회" in conflict["reason"]


async def test_missing_proposal_is_404_and_bad_range_is_422(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/proposals/pr-nope")).status_code == 404
    assert (await http.post("/api/proposals/pr-nope/confirm")).status_code == 404
    errors = await errors_of(
        await http.get("/api/itinerary", params={"start": "2026-12-02", "end": "2026-12-01"})
    )
    assert "end" in errors


async def test_a_proposal_previews_its_changes_and_replan_names_confirmed_visits_only(
    http: httpx.AsyncClient,
) -> None:
    created = (await http.post("/api/visit-requests", json=valid_request())).json()
    first = (await http.post("/api/proposals", json={"plan_date": DAY.isoformat()})).json()
    assert [(c["change"], c["stop_id"]) for c in first["changes"]] == [
        ("add", f"stop-{created['id']}")
    ]
    assert (await http.post(f"/api/proposals/{first['id']}/confirm")).status_code == 200

    again = (await http.post("/api/proposals", json={"plan_date": DAY.isoformat()})).json()
    [kept] = again["changes"]
    assert kept["change"] == "keep" and kept["previous_starts_at"] == kept["starts_at"]
    read = (await http.get(f"/api/proposals/{again['id']}")).json()
    assert read["changes"] == again["changes"]

    errors = await errors_of(
        await http.post(
            "/api/proposals", json={"plan_date": DAY.isoformat(), "replan": ["vr-unknown"]}
        )
    )
    assert "vr-unknown" in errors["replan"]
    released = await http.post(
        "/api/proposals",
        json={"plan_date": DAY.isoformat(), "replan": [f"stop-{created['id']}"]},
    )
    assert released.status_code == 201, released.text
