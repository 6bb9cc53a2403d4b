"""Travel times between places: the provider port and the default Seoul road estimate."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from schemas.vocabulary import SEOUL

EARTH_RADIUS_KM = 6371.0088
HIGHWAY_THRESHOLD_KM = 40.0
PEAK_HOURS = ((7, 9), (17, 19))  # [start, end) in Seoul local hours


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


class TravelTimeProvider(Protocol):
    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int: ...


def haversine_km(origin: Location, destination: Location) -> float:
    """Great-circle (straight-line) distance in kilometres."""
    lat1, lat2 = math.radians(origin.latitude), math.radians(destination.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(destination.longitude - origin.longitude)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def is_peak(depart_at: datetime) -> bool:
    """Rush hour in Seoul (07–09, 17–19 local time); a naive time is read as Seoul time."""
    local = depart_at.astimezone(SEOUL) if depart_at.tzinfo else depart_at
    return any(start <= local.hour < end for start, end in PEAK_HOURS)


@dataclass(frozen=True)
class SeoulRoadEstimate:
    """Driving time from coordinates: straight line × road factor at a time-of-day speed.

    Legs longer than 40 km in a straight line (e.g. Seoul→Sejong) are driven at highway
    speed for their whole length, so estimates jump down just past 40 km; inside Seoul
    legs are far shorter, so this is accepted for a pure, dependency-free default.
    Every non-zero leg pays a fixed overhead for parking and walking.
    """

    road_factor: float = 1.35
    peak_kmh: float = 18.0
    offpeak_kmh: float = 26.0
    highway_kmh: float = 80.0
    fixed_overhead_minutes: int = 5

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        straight_km = haversine_km(origin, destination)
        if straight_km == 0.0:
            return 0
        if straight_km > HIGHWAY_THRESHOLD_KM:
            speed = self.highway_kmh
        elif is_peak(depart_at):
            speed = self.peak_kmh
        else:
            speed = self.offpeak_kmh
        driving = straight_km * self.road_factor / speed * 60.0
        return math.ceil(driving) + self.fixed_overhead_minutes


def travel_matrix(
    locations: Sequence[Location],
    provider: TravelTimeProvider,
    depart_at: datetime | Sequence[datetime],
) -> list[list[int]]:
    """Whole-minute travel times between every pair of locations.

    `depart_at` is one departure time for every leg, or one per origin (row), so a
    caller can price each row at the time the mayor is expected to leave that place.
    """
    departures = (
        [depart_at] * len(locations) if isinstance(depart_at, datetime) else list(depart_at)
    )
    if len(departures) != len(locations):
        raise ValueError("one departure time per origin is required")
    return [
        [
            0 if i == j else provider.minutes(origin, destination, departures[i])
            for j, destination in enumerate(locations)
        ]
        for i, origin in enumerate(locations)
    ]
