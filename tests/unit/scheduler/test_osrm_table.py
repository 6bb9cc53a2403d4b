"""OSRM prices a problem's legs with /table in blocks (a fake server answering OSRM's shape)."""

from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from schemas.planning import PlanningProblem
from services.scheduler.adapters import osrm
from services.scheduler.adapters.osrm import OsrmTravelTimes
from services.scheduler.planning.travel import Location
from services.scheduler.planning.week.road import with_road_minutes

LOCATIONS = [Location(37.56, 126.97), Location(37.51, 127.04), Location(37.57, 126.90)]
NO_ROUTE = (2, 0)


def table(request: httpx.Request) -> httpx.Response:
    """OSRM's /table answer: seconds from each source to each destination, null: no route."""
    assert request.url.path.startswith("/table/v1/driving/")
    assert request.url.params["annotations"] == "duration"
    sources = [int(i) for i in request.url.params["sources"].split(";")]
    destinations = [int(j) for j in request.url.params["destinations"].split(";")]
    durations = [
        [None if (i, j) == NO_ROUTE else 60.0 * (10 * i + j) + 1.5 for j in destinations]
        for i in sources
    ]
    return httpx.Response(200, json={"code": "Ok", "durations": durations})


@pytest.fixture
def requests() -> list[httpx.Request]:
    return []


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch, requests: list[httpx.Request]) -> OsrmTravelTimes:
    monkeypatch.setattr(osrm, "TABLE_BLOCK", 2)

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return table(request)

    return OsrmTravelTimes("http://osrm.test", transport=httpx.MockTransport(handler))


def test_the_table_is_asked_in_blocks_and_rounded_up_to_minutes(
    provider: OsrmTravelTimes, requests: list[httpx.Request]
) -> None:
    assert provider.matrix(LOCATIONS) == [[0, 2, 3], [11, 0, 13], [None, 22, 0]]
    assert len(requests) == 4, "3 places in blocks of 2: 2 × 2 requests"
    assert "126.97,37.56;127.04,37.51;126.9,37.57" in requests[0].url.path


def test_a_leg_without_route_is_left_to_the_estimate(provider: OsrmTravelTimes) -> None:
    day = date(2026, 12, 7)
    problem = PlanningProblem.model_validate(
        {
            "days": [{"date": day, "start_place_id": "a", "end_place_id": "a"}],
            "places": [
                {"id": key, "name": key, "district": "중구", "lat": p.latitude, "lon": p.longitude}
                for key, p in zip("abc", LOCATIONS, strict=True)
            ],
            "requests": [
                {
                    "id": "r",
                    "title": "방문",
                    "place_id": "b",
                    "duration_minutes": 30,
                    "priority": 3,
                    "category": "livelihood",
                    "windows": [
                        {"start": datetime(2026, 12, 7, 10), "end": datetime(2026, 12, 7, 12)}
                    ],
                }
            ],
        }
    )
    road = with_road_minutes(problem, provider).travel.road_minutes
    assert road == {"a": {"b": 2, "c": 3}, "b": {"a": 11, "c": 13}, "c": {"b": 22}}
