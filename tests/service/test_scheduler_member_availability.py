"""Council members' availability over the API, on SQLite and PostgreSQL (migrated), and the
proposals that honour it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.cli.sample import load_full_week, next_monday
from services.sample_data.full_week import sample_week
from services.scheduler import horizon, members
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)
NEXT_DAY = DAY + timedelta(days=1)


def at(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL).isoformat()


@pytest.fixture
async def http(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    scheduler: Scheduler = build_scheduler(
        SchedulerSettings(database_url=database_url, data_dir=tmp_path),
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


async def put(http: httpx.AsyncClient, member_id: str, *windows: tuple[str, str]) -> Any:
    body = {"windows": [{"start": s, "end": e} for s, e in windows]}
    return await http.put(f"/api/members/{member_id}/availability", json=body)


async def test_availability_is_stored_merged_read_and_cleared(http: httpx.AsyncClient) -> None:
    empty = await http.get("/api/members/m-001/availability")
    assert empty.status_code == 200
    assert empty.json() == {"member_id": "m-001", "name": "강새벽", "stored": False, "windows": []}

    stored = await put(
        http,
        "m-001",
        (at(DAY, 11), at(DAY, 12)),
        (at(DAY, 9), at(DAY, 11)),
        (at(DAY, 14), at(DAY, 15)),
    )
    assert stored.status_code == 200, stored.text
    read = (await http.get("/api/members/m-001/availability")).json()
    assert read["stored"] is True
    spans = [(w["start"], w["end"]) for w in read["windows"]]
    assert [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in spans] == [
        (datetime.fromisoformat(at(DAY, 9)), datetime.fromisoformat(at(DAY, 12))),
        (datetime.fromisoformat(at(DAY, 14)), datetime.fromisoformat(at(DAY, 15))),
    ]
    assert read == stored.json()

    replaced = await put(http, "m-001", (at(NEXT_DAY, 9), at(NEXT_DAY, 10)))
    assert len(replaced.json()["windows"]) == 1

    assert (await http.delete("/api/members/m-001/availability")).status_code == 204
    assert (await http.get("/api/members/m-001/availability")).json()["stored"] is False


async def test_an_unknown_member_is_404_and_a_window_ending_first_is_422(
    http: httpx.AsyncClient,
) -> None:
    for response in (
        await http.get("/api/members/m-999/availability"),
        await put(http, "m-999", (at(DAY, 9), at(DAY, 10))),
        await http.delete("/api/members/m-999/availability"),
    ):
        assert response.status_code == 404
        assert "m-999" in response.json()["detail"]

    refused = await put(http, "m-001", (at(DAY, 9), at(DAY, 10)), (at(DAY, 12), at(DAY, 11)))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "windows.1.end", "reason": "종료 시각이 시작 시각보다 늦어야 합니다."}
    ]
    assert (await http.get("/api/members/m-001/availability")).json()["stored"] is False


async def round_table(http: httpx.AsyncClient) -> str:
    body = {
        "title": "교통위원회 간담회",
        "purpose": "요금 체계 개편안 설명",
        "category": "council_meeting",
        "place": {
            "name": "서울시의회",
            "district": "중구",
            "latitude": 37.5657,
            "longitude": 126.977,
        },
        "duration_minutes": 60,
        "windows": [{"start": at(d, 10), "end": at(d, 12)} for d in (DAY, NEXT_DAY)],
        "priority": 4,
        "requesting_department": "대외협력과",
        "member_ids": ["m-001", "m-002"],
    }
    response = await http.post("/api/visit-requests", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def propose(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.post("/api/proposals", json={"start": str(DAY), "end": str(NEXT_DAY)})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_proposal_leaves_out_a_meeting_whose_member_is_away_until_they_are_free(
    http: httpx.AsyncClient,
) -> None:
    meeting = await round_table(http)
    placed = await propose(http)  # nothing stored: both members count as available
    [shown] = [s for d in placed["days"] for s in d["stops"] if s["source_id"] == meeting]
    assert shown["attendee_ids"] == ["m-001", "m-002"], "the stop shows who must attend"

    away = await put(http, "m-001", (at(DAY, 14), at(DAY, 18)), (at(NEXT_DAY, 6), at(NEXT_DAY, 10)))
    assert away.status_code == 200
    proposal = await propose(http)
    assert not [s for d in proposal["days"] for s in d["stops"] if s["source_id"] == meeting]
    [dropped] = [x for d in proposal["days"] for x in d["dropped"] if x["request_id"] == meeting]
    assert dropped["reason_code"] == "members_unavailable"
    assert "강새벽" in dropped["reason"]

    await put(http, "m-001", (at(NEXT_DAY, 9), at(NEXT_DAY, 17)))
    proposal = await propose(http)
    [stop] = [s for d in proposal["days"] for s in d["stops"] if s["source_id"] == meeting]
    start = datetime.fromisoformat(stop["starts_at"])
    assert start.astimezone(SEOUL).date() == NEXT_DAY
    assert datetime.fromisoformat(at(NEXT_DAY, 10)) <= start
    assert start + timedelta(minutes=60) <= datetime.fromisoformat(at(NEXT_DAY, 12))


async def test_the_realistic_week_loads_its_members_availability_and_friday_says_why(
    tmp_path: Path,
) -> None:
    """The week's last round-table has a member away on its only morning (full_week.py)."""
    settings = SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=0.5)
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=InlinePlanner())
    scheduler.migrate()
    now = datetime.now(SEOUL)
    monday = next_monday(now.date())
    week = sample_week(monday)
    try:
        load_full_week(scheduler, monday)
        for member_id, periods in week.availability.items():
            stored = members.get_availability(scheduler.uow(), member_id)
            assert stored is not None
            assert [(w.start, w.end) for w in stored.windows] == list(periods)
        friday = monday + timedelta(days=4)
        proposal = await horizon.propose_day(
            scheduler.uow(),
            friday,
            planner=scheduler.planner,
            working_day=scheduler.working_day,
            budget=scheduler.budget,
            now=now,
        )
        [away] = [
            m
            for m, periods in week.availability.items()
            if [s for s, _ in periods if s.date() == friday] == [max(s for s, _ in periods)]
        ]  # the one member with a single (afternoon) window on Friday
        [dropped] = [d for d in proposal.dropped if d.reason_code == "members_unavailable"]
        titles = {r.title for r in week.requests if away in r.member_ids}
        assert dropped.title in titles
        assert members.council_member_names()[away] in dropped.reason
    finally:
        scheduler.engine.dispose()
