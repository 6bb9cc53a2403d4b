"""Proposals over a range of days: planned per day, each request once, confirmed per day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from schemas.events import read_event
from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)
NEXT_DAY = DAY + timedelta(days=1)


def at(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL).isoformat()


@pytest.fixture
def scheduler(tmp_path: Path) -> Scheduler:
    service = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    service.migrate()
    return service


@pytest.fixture
async def http(scheduler: Scheduler) -> AsyncIterator[httpx.AsyncClient]:
    app = build_http_app({"scheduler": scheduler.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client
    scheduler.engine.dispose()


async def create(http: httpx.AsyncClient, title: str, *days: date) -> str:
    body = {
        "title": title,
        "purpose": f"{title} 현장 점검",
        "category": "livelihood",
        "place": {
            "name": title,
            "district": "서대문구",
            "latitude": 37.5747,
            "longitude": 126.9456,
        },
        "duration_minutes": 60,
        "windows": [{"start": at(d, 10), "end": at(d, 12)} for d in days],
        "priority": 3,
        "requesting_department": "민생노동국",
    }
    response = await http.post("/api/visit-requests", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_range_is_planned_per_day_with_each_request_once_and_confirmed_per_day(
    http: httpx.AsyncClient, scheduler: Scheduler
) -> None:
    either = await create(http, "인왕시장", DAY, NEXT_DAY)
    second = await create(http, "영천시장", NEXT_DAY)

    proposed = await http.post("/api/proposals", json={"start": str(DAY), "end": str(NEXT_DAY)})
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    placed = [s["source_id"] for d in body["days"] for s in d["stops"]]
    assert sorted(placed) == sorted([either, second]), "each request once in the range"
    assert [d["plan_date"] for d in body["days"]] == [str(DAY), str(NEXT_DAY)]
    assert (await http.get(f"/api/proposals/{body['id']}")).json()["days"] == body["days"]

    confirmed = await http.post(f"/api/proposals/{body['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.text
    assert [d["plan_version"] for d in confirmed.json()["days"]] == [1, 1]
    with scheduler.uow() as uow:
        bodies = uow.session.exec(select(SchedulerOutbox.body).order_by(col(SchedulerOutbox.seq)))
        dates = [read_event(b).payload.itinerary_date for b in bodies]  # type: ignore[attr-defined]
    assert dates == [DAY, NEXT_DAY], "one itinerary.confirmed per day"

    again = await http.post(f"/api/proposals/{body['id']}/confirm", json={})
    assert again.status_code == 409


async def test_a_range_is_one_to_fourteen_days(http: httpx.AsyncClient) -> None:
    refused = [
        ({"start": str(NEXT_DAY), "end": str(DAY)}, "end가 start보다 빠릅니다."),
        ({"start": str(DAY), "end": str(DAY + timedelta(days=14))}, "14일까지"),
        ({"start": str(DAY)}, "plan_date 또는 start와 end"),
        ({"plan_date": str(DAY), "start": str(DAY), "end": str(DAY)}, "하나만"),
    ]
    for body, reason in refused:
        response = await http.post("/api/proposals", json=body)
        assert response.status_code == 422, body
        assert reason in response.json()["errors"][0]["reason"], body
    assert (await http.get("/api/proposals/pg-nope")).status_code == 404
    assert (await http.post("/api/proposals/pg-nope/confirm", json={})).status_code == 404
