"""The service's travel provider in the week model: priced legs, scaled by the speed bands."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.planning import Place, PlanningProblem, RegionLeg, SpeedBand, TravelSettings
from services.scheduler.planning.travel import Location
from services.scheduler.planning.week import plan_week
from services.scheduler.planning.week.road import off_peak_departure, with_road_minutes
from services.scheduler.planning.week.travel import WeekTravel

PLACES = [
    Place(id="hall", name="시청", district="중구", lat=37.5663, lon=126.9779),
    Place(id="gang", name="강남구청", district="강남구", lat=37.5172, lon=127.0473),
    Place(id="mapo", name="마포구청", district="마포구", lat=37.5663, lon=126.9016),
    Place(id="sejong", name="세종청사", district="세종", lat=36.504, lon=127.265, region="세종"),
]
BANDS = [SpeedBand(start=time(7), end=time(9), kmh=13.0)]


def test_priced_legs_are_scaled_by_band_inside_a_region_and_kept_between_regions() -> None:
    settings = TravelSettings(
        speed_bands=BANDS,
        default_kmh=26.0,
        region_minutes=[RegionLeg(a="서울", b="세종", minutes=110)],
        road_minutes={"hall": {"gang": 30, "sejong": 95}},
    )
    travel = WeekTravel(PLACES, settings)
    assert travel.minutes(0, 1, 12 * 60) == 30, "off-peak: the provider's minutes"
    assert travel.minutes(0, 1, 8 * 60) == 60, "rush hour at half the speed: twice as long"
    assert travel.minutes(0, 3, 8 * 60) == travel.minutes(0, 3, 12 * 60) == 95
    assert travel.minutes(3, 0, 12 * 60) == 110, "an unpriced leg keeps the fixed region minutes"
    estimate = WeekTravel(PLACES, settings.model_copy(update={"road_minutes": {}}))
    assert travel.minutes(1, 0, 12 * 60) == estimate.minutes(1, 0, 12 * 60), "unpriced"
    assert travel.bound(0, 1, travel.speeds(6 * 60, 10 * 60)) == 60


class Recording:
    """A provider that takes `minutes` for every leg and keeps what it was asked."""

    def __init__(self, minutes: int) -> None:
        self.minutes_each = minutes
        self.asked: list[tuple[Location, Location, datetime]] = []

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        self.asked.append((origin, destination, depart_at))
        return self.minutes_each


def problem(**changes: Any) -> PlanningProblem:
    days = [date(2026, 12, 7), date(2026, 12, 8)]
    fields: dict[str, Any] = {
        "days": [
            {
                "date": d,
                "start": "08:00",
                "end": "20:00",
                "start_place_id": "hall",
                "end_place_id": "hall",
            }
            for d in days
        ],
        "places": [p.model_dump() for p in PLACES[:3]],
        "commitments": [
            {
                "id": "morning",
                "title": "현장 회의",
                "place_id": "gang",
                "start": datetime(2026, 12, 7, 10),
                "end": datetime(2026, 12, 7, 11),
            },
            {
                "id": "evening",
                "title": "구청 간담회",
                "place_id": "mapo",
                "start": datetime(2026, 12, 8, 16),
                "end": datetime(2026, 12, 8, 17),
            },
        ],
        "travel": {
            "speed_bands": [
                b.model_dump() for b in [SpeedBand(start=time(17), end=time(19), kmh=13.0)]
            ],
            "default_kmh": 26.0,
        },
    }
    fields.update(changes)
    return PlanningProblem.model_validate(fields)


def test_every_leg_is_priced_once_at_a_moment_outside_every_band() -> None:
    provider = Recording(40)
    priced = with_road_minutes(problem(), provider)
    assert len(provider.asked) == 3 * 2
    assert {depart for _, _, depart in provider.asked} == {off_peak_departure(priced)}
    assert off_peak_departure(priced).time() == time(12)
    assert priced.travel.road_minutes["hall"] == {"gang": 40, "mapo": 40}
    rush_at_noon = problem(travel={"speed_bands": [{"start": "11:00", "end": "14:00", "kmh": 13}]})
    assert off_peak_departure(rush_at_noon).time() == time(10, 55)


def test_a_custom_providers_minutes_change_the_plans_times() -> None:
    """Back from each commitment: 40 min off-peak, 40 × 26/13 = 80 min in the 17–19 band."""
    estimated = plan_week(problem(), timedelta(seconds=1))
    priced = plan_week(with_road_minutes(problem(), Recording(40)), timedelta(seconds=1))
    first, second = priced.days
    assert first.arrive_end == datetime(2026, 12, 7, 11, 40)
    assert second.arrive_end == datetime(2026, 12, 8, 18, 20)
    assert [d.arrive_end for d in estimated.days] != [first.arrive_end, second.arrive_end]
    [morning] = first.items
    assert morning.travel_minutes_before == 40  # left in the morning, outside the band
    assert morning.depart_previous is not None
    assert (
        morning.depart_previous + timedelta(minutes=morning.travel_minutes_before) <= morning.start
    )


def test_priced_legs_must_name_known_places() -> None:
    with pytest.raises(ValidationError, match="travel.road_minutes.hall: unknown place 'nowhere'"):
        problem(travel={"road_minutes": {"hall": {"nowhere": 3}}})
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        problem(travel={"road_minutes": {"hall": {"gang": -1}}})
