"""The default Seoul travel estimate and the travel matrix."""

from datetime import UTC, datetime

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler.planning.travel import (
    Location,
    SeoulRoadEstimate,
    haversine_km,
    is_peak,
    travel_matrix,
)

CITY_HALL = Location(37.5663, 126.9779)
NOWON_OFFICE = Location(37.6542, 127.0568)
SEJONG_CITY_HALL = Location(36.4800, 127.2890)
OFFPEAK = datetime(2025, 3, 4, 11, 0, tzinfo=SEOUL)
MORNING_PEAK = datetime(2025, 3, 4, 8, 0, tzinfo=SEOUL)
EVENING_PEAK = datetime(2025, 3, 4, 18, 30, tzinfo=SEOUL)


def test_city_hall_to_nowon_offpeak_is_plausible() -> None:
    minutes = SeoulRoadEstimate().minutes(CITY_HALL, NOWON_OFFICE, OFFPEAK)
    assert 25 <= minutes <= 60


@pytest.mark.parametrize("peak", [MORNING_PEAK, EVENING_PEAK])
def test_peak_is_slower_than_offpeak(peak: datetime) -> None:
    estimate = SeoulRoadEstimate()
    assert estimate.minutes(CITY_HALL, NOWON_OFFICE, peak) > estimate.minutes(
        CITY_HALL, NOWON_OFFICE, OFFPEAK
    )


def test_peak_hours_are_read_in_seoul_time() -> None:
    eight_in_seoul = datetime(2025, 3, 3, 23, 0, tzinfo=UTC)
    noon_in_seoul = datetime(2025, 3, 4, 3, 0, tzinfo=UTC)
    assert is_peak(eight_in_seoul)
    assert not is_peak(noon_in_seoul)
    assert not is_peak(datetime(2025, 3, 4, 9, 0, tzinfo=SEOUL))  # 07–09 is half-open


def test_same_point_is_zero() -> None:
    assert SeoulRoadEstimate().minutes(CITY_HALL, CITY_HALL, MORNING_PEAK) == 0


def test_long_leg_uses_highway_speed() -> None:
    estimate = SeoulRoadEstimate()
    minutes = estimate.minutes(CITY_HALL, SEJONG_CITY_HALL, OFFPEAK)
    assert 90 <= minutes <= 150
    expected = (
        haversine_km(CITY_HALL, SEJONG_CITY_HALL) * estimate.road_factor / estimate.highway_kmh * 60
    )
    assert minutes == pytest.approx(expected + estimate.fixed_overhead_minutes, abs=1)
    # Highway legs ignore rush hour.
    assert estimate.minutes(CITY_HALL, SEJONG_CITY_HALL, MORNING_PEAK) == minutes


def test_estimate_follows_its_parameters() -> None:
    slow = SeoulRoadEstimate(offpeak_kmh=13.0, fixed_overhead_minutes=0)
    fast = SeoulRoadEstimate(offpeak_kmh=26.0, fixed_overhead_minutes=0)
    assert slow.minutes(CITY_HALL, NOWON_OFFICE, OFFPEAK) == pytest.approx(
        2 * fast.minutes(CITY_HALL, NOWON_OFFICE, OFFPEAK), abs=1
    )


def test_matrix_has_zero_diagonal_and_prices_rows_at_their_departure() -> None:
    places = [CITY_HALL, NOWON_OFFICE]
    estimate = SeoulRoadEstimate()
    matrix = travel_matrix(places, estimate, [OFFPEAK, MORNING_PEAK])
    assert matrix[0][0] == matrix[1][1] == 0
    assert matrix[0][1] == estimate.minutes(CITY_HALL, NOWON_OFFICE, OFFPEAK)
    assert matrix[1][0] == estimate.minutes(NOWON_OFFICE, CITY_HALL, MORNING_PEAK)
    assert travel_matrix(places, estimate, OFFPEAK)[1][0] == estimate.minutes(
        NOWON_OFFICE, CITY_HALL, OFFPEAK
    )


def test_matrix_needs_one_departure_per_row() -> None:
    with pytest.raises(ValueError):
        travel_matrix([CITY_HALL, NOWON_OFFICE], SeoulRoadEstimate(), [OFFPEAK])
