"""The departure-time-dependent travel model of the problem file, and its safe bound."""

from __future__ import annotations

from datetime import time

from schemas.planning import Place, RegionLeg, SpeedBand, TravelSettings
from services.scheduler.planning.week.travel import WeekTravel

PLACES = [
    Place(id="hall", name="시청", district="중구", lat=37.5663, lon=126.9779),
    Place(id="same", name="시청 별관", district="중구", lat=37.5663, lon=126.9779),
    Place(id="gang", name="강남구청", district="강남구", lat=37.5172, lon=127.0473),
    Place(id="sejong", name="세종청사", district="세종", lat=36.504, lon=127.265, region="세종"),
    Place(id="daejeon", name="대전시청", district="대전", lat=36.3504, lon=127.3845, region="대전"),
]
SETTINGS = TravelSettings(
    road_factor=1.5,
    speed_bands=[SpeedBand(start=time(7), end=time(9), kmh=15.0)],
    default_kmh=30.0,
    overhead_minutes=4,
    region_minutes=[
        RegionLeg(a="서울", b="세종", minutes=110),
        RegionLeg(a="세종", b="대전", minutes=35),
    ],
)
travel = WeekTravel(PLACES, SETTINGS)


def test_same_place_and_same_coordinates_take_no_time() -> None:
    assert travel.minutes(0, 0, 8 * 60) == 0
    assert travel.minutes(0, 1, 8 * 60) == 0


def test_rush_hour_band_is_slower_and_the_band_end_is_exclusive() -> None:
    peak, off = travel.minutes(0, 2, 8 * 60), travel.minutes(0, 2, 9 * 60)
    assert peak > off > SETTINGS.overhead_minutes
    # 15 vs 30 km/h: the driving part doubles, the overhead does not
    assert abs((peak - 4) - 2 * (off - 4)) <= 1
    assert travel.minutes(0, 2, 1440 + 8 * 60) == peak  # the band holds every day


def test_fixed_minutes_between_regions_either_way() -> None:
    assert travel.minutes(0, 3, 8 * 60) == travel.minutes(3, 0, 12 * 60) == 110
    assert travel.minutes(4, 3, 8 * 60) == 35


def test_bound_covers_every_departure_in_the_range() -> None:
    speeds = travel.speeds(6 * 60, 10 * 60)
    bound = travel.bound(0, 2, speeds)
    assert bound == max(travel.minutes(0, 2, m) for m in range(6 * 60, 10 * 60 + 1))
    assert travel.bound(0, 2, travel.speeds(10 * 60, 16 * 60)) == travel.minutes(0, 2, 600)
