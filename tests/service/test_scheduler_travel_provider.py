"""The service's travel provider prices the legs of every proposal (the week model)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.adapters.road_planner import RoadPricedPlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.planning.travel import Location
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL)


class SlowRoads:
    """Every leg takes 45 minutes off-peak, whatever the distance."""

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        return 0 if origin == destination else 45


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path),
        "127.0.0.1:1",
        travel=SlowRoads(),
        planner=InlinePlanner(),
    )
    assert isinstance(scheduler.planner, RoadPricedPlanner)
    scheduler.migrate()
    app = build_http_app({"scheduler": scheduler.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client
    scheduler.engine.dispose()


async def test_a_proposal_returns_when_the_services_provider_says(http: httpx.AsyncClient) -> None:
    """Back at City Hall 45 minutes after a commitment ending at 14:00 (off-peak)."""
    created = await http.post(
        "/api/commitments",
        json={
            "title": "강남구청 협약식",
            "place": {
                "name": "강남구청",
                "district": "강남구",
                "latitude": 37.5172,
                "longitude": 127.0473,
            },
            "starts_at": at(DAY, 13).isoformat(),
            "ends_at": at(DAY, 14).isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    proposed = await http.post("/api/proposals", json={"start": str(DAY), "end": str(DAY)})
    assert proposed.status_code == 201, proposed.text
    [day] = proposed.json()["days"]
    assert datetime.fromisoformat(day["return_at"]) == at(DAY, 14) + timedelta(minutes=45)
    [stop] = day["stops"]
    assert stop["travel_minutes"] in (45, 65), "65 = 45 × 26/18 when leaving before 09:00"


def test_the_default_estimate_is_the_week_models_own(tmp_path: Path) -> None:
    """No provider configured or given: proposals price travel as `dongseon plan` does."""
    planner = InlinePlanner()
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path), "127.0.0.1:1", planner=planner
    )
    assert scheduler.planner is planner
    scheduler.engine.dispose()
