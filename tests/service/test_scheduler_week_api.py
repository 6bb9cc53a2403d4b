"""A range proposal is one week-planner optimisation: checked by the week checker, confirmed per day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from schemas.events import read_event
from schemas.planning import ItemKind, PlanningProblem, WeekPlanOut
from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.planning.week.check import violations
from services.scheduler.settings import SchedulerSettings

FIRST = datetime.now(SEOUL).date() + timedelta(days=7)
DAYS = [FIRST + timedelta(days=n) for n in range(3)]


class RecordingPlanner(InlinePlanner):
    """The inline planner, keeping the week problem and plan the service used."""

    problem: PlanningProblem | None = None
    plan: WeekPlanOut | None = None

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        self.problem = problem
        self.plan = await super().plan_week(problem, time_limit)
        return self.plan


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL).isoformat()


def place(name: str, lat: float, lon: float) -> dict[str, object]:
    return {"name": name, "district": "중구", "latitude": lat, "longitude": lon}


@pytest.fixture
def planner() -> RecordingPlanner:
    return RecordingPlanner()


@pytest.fixture
def scheduler(tmp_path: Path, planner: RecordingPlanner) -> Scheduler:
    service = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=0.3),
        "127.0.0.1:1",
        planner=planner,
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


async def post(http: httpx.AsyncClient, path: str, body: dict[str, object]) -> str:
    response = await http.post(path, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def visit(
    title: str, n: int, windows: list[tuple[str, str]], **fields: object
) -> dict[str, object]:
    return {
        "title": title,
        "purpose": f"{title} 현장 점검",
        "category": "livelihood",
        "place": place(title, 37.55 + n * 0.004, 126.95 + n * 0.006),
        "duration_minutes": 90,
        "windows": [{"start": s, "end": e} for s, e in windows],
        "priority": 1 + n % 5,
        "requesting_department": "민생노동국",
        **fields,
    }


async def test_a_range_is_one_week_plan_checked_and_confirmed_per_day(
    http: httpx.AsyncClient, scheduler: Scheduler, planner: RecordingPlanner
) -> None:
    cabinet = await post(
        http,
        "/api/commitments",
        {
            "title": "국무회의",
            "purpose": "국무회의 참석",
            "place": place("용산 대통령실", 37.5311, 126.9811),
            "starts_at": at(DAYS[0], 10),
            "ends_at": at(DAYS[0], 11),
            "rrule": "FREQ=DAILY",
            "exdates": [str(DAYS[2])],
        },
    )
    must = await post(  # fits only after the cabinet meeting and before lunch
        http,
        "/api/visit-requests",
        visit(
            "안전점검",
            0,
            [(at(DAYS[1], 9), at(DAYS[1], 13))],
            mandatory=True,
            priority=1,
            duration_minutes=60,
        ),
    )
    afternoons = [(at(d, 13), at(d, 17)) for d in DAYS]
    many = [
        await post(http, "/api/visit-requests", visit(f"시장{n}", n, afternoons))
        for n in range(1, 11)
    ]

    proposed = await http.post("/api/proposals", json={"start": str(DAYS[0]), "end": str(DAYS[-1])})
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    assert [d["plan_date"] for d in body["days"]] == [str(d) for d in DAYS]
    assert planner.problem is not None and planner.plan is not None
    assert len(planner.problem.days) == 3, "the whole range is one optimisation"
    assert violations(planner.problem, planner.plan) == [], "no late arrival, lunch kept"

    stops = [(d["plan_date"], s) for d in body["days"] for s in d["stops"]]
    cabinets = [day for day, s in stops if s["source_id"] == cabinet]
    assert cabinets == [str(DAYS[0]), str(DAYS[1])], "RRULE daily, except the EXDATE"
    placed = [s["source_id"] for _, s in stops if s["kind"] == "visit"]
    assert must in placed, "the mandatory request is placed"
    assert len(placed) == len(set(placed)), "each request at most once in the range"
    assert len(placed) < 11, "more requests than fit"
    dropped = [x for d in body["days"] for x in d["dropped"]]
    assert sorted([*placed, *(x["request_id"] for x in dropped)]) == sorted([must, *many])
    assert all(x["reason"] for x in dropped), "every left-out request explained"
    solver = {i.id: i for day in planner.plan.days for i in day.items if i.kind is ItemKind.VISIT}
    for _, s in stops:
        if s["kind"] == "visit":
            shown = datetime.fromisoformat(s["starts_at"]).astimezone(SEOUL).replace(tzinfo=None)
            assert shown == solver[s["source_id"]].start, "the solver's times are shown"

    confirmed = await http.post(f"/api/proposals/{body['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.text
    with scheduler.uow() as uow:
        bodies = uow.session.exec(select(SchedulerOutbox.body).order_by(col(SchedulerOutbox.seq)))
        dates = [read_event(b).payload.itinerary_date for b in bodies]  # type: ignore[attr-defined]
    assert dates == DAYS, "one itinerary.confirmed per day"


async def test_clashing_mandatory_items_are_named(http: httpx.AsyncClient) -> None:
    one = [(at(DAYS[0], 14), at(DAYS[0], 15, 30))]
    a = await post(http, "/api/visit-requests", visit("갑", 1, one, mandatory=True))
    b = await post(http, "/api/visit-requests", visit("을", 2, one, mandatory=True))
    response = await http.post("/api/proposals", json={"start": str(DAYS[0]), "end": str(DAYS[1])})
    assert response.status_code == 422, response.text
    [conflict] = response.json()["conflicts"]
    assert set(conflict["constraints"]) == {a, b}
    assert "갑" in conflict["reason"] and "을" in conflict["reason"]
