"""Departure-time-dependent travel from the problem file's settings, and its safe bounds.

`minutes(a, b, depart)` is the model the user's plan must satisfy. The solver cannot price
a leg by its departure time, so each leg gets a *bound*: the worst minutes over every
speed band the origin can be left in (its possible departures are known from its windows).
Any departure inside that range arrives no later than the bound says, so the times the
solver computes stay feasible when re-read under the exact model.

Legs a routing provider priced (`TravelSettings.road_minutes`, minutes at the default
speed) replace the straight-line estimate: inside a region a speed band scales the whole
leg by default_kmh / its kmh (rush hour at 18 instead of 26 km/h: ×26/18, rounded up),
between regions the provider's minutes stand as they are. The bands stay the only time
dependence, so the bounds above hold for priced legs unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from schemas.planning import Place, TravelSettings
from services.scheduler.planning.travel import Location, haversine_km

DAY = 1440


class WeekTravel:
    """Minutes between the problem's places (indices into `places`)."""

    def __init__(self, places: list[Place], settings: TravelSettings) -> None:
        self.places = places
        self.settings = settings
        self._bands = [
            (b.start.hour * 60 + b.start.minute, b.end.hour * 60 + b.end.minute, b.kmh)
            for b in settings.speed_bands
        ]
        self._regions = {frozenset((r.a, r.b)): r.minutes for r in settings.region_minutes}
        index = {place.id: i for i, place in enumerate(places)}
        self._road = {
            (index[origin], index[destination]): minutes
            for origin, legs in settings.road_minutes.items()
            for destination, minutes in legs.items()
        }
        self._matrices: dict[float, list[list[int]]] = {}

    def speed(self, minute: int) -> float:
        """Seoul speed for a departure at absolute minute `minute` (minute 0 = midnight)."""
        of_day = minute % DAY
        for start, end, kmh in self._bands:
            if start <= of_day < end:
                return kmh
        return self.settings.default_kmh

    def speeds(self, earliest: int, latest: int, step: int = 5) -> frozenset[float]:
        """Every speed a departure in [earliest, latest] can meet."""
        if latest - earliest >= DAY:
            return frozenset([self.settings.default_kmh, *(kmh for _, _, kmh in self._bands)])
        found = {self.speed(latest)}
        found.update(self.speed(m) for m in range(earliest, latest + 1, step))
        for start, end, _ in self._bands:
            for boundary in (start, end):
                base = earliest - earliest % DAY + boundary
                for moment in (base, base + DAY):
                    if earliest <= moment <= latest:
                        found.add(self.speed(moment))
        return frozenset(found)

    def minutes(self, a: int, b: int, depart: int) -> int:
        """Exact minutes of the leg a→b leaving at absolute minute `depart`."""
        return self._matrix(self.speed(depart))[a][b]

    def bound(self, a: int, b: int, speeds: Iterable[float]) -> int:
        """The worst minutes of a→b over the given speeds."""
        return max((self._matrix(kmh)[a][b] for kmh in speeds), default=0)

    def _matrix(self, kmh: float) -> list[list[int]]:
        """Minutes between every pair of places at one speed (computed once per speed)."""
        matrix = self._matrices.get(kmh)
        if matrix is None:
            size = range(len(self.places))
            matrix = self._matrices[kmh] = [[self._at_speed(a, b, kmh) for b in size] for a in size]
        return matrix

    def _at_speed(self, a: int, b: int, kmh: float) -> int:
        origin, destination = self.places[a], self.places[b]
        if a == b or (origin.lat, origin.lon) == (destination.lat, destination.lon):
            return 0
        road = self._road.get((a, b))
        if road is not None:
            if origin.region != destination.region:
                return road
            return math.ceil(road * self.settings.default_kmh / kmh)
        if origin.region != destination.region:
            fixed = self._regions.get(frozenset((origin.region, destination.region)))
            if fixed is not None:
                return fixed
            kmh = max(kmh, 80.0)  # an unlisted out-of-town leg: highway speed
        km = haversine_km(
            Location(origin.lat, origin.lon), Location(destination.lat, destination.lon)
        )
        driving = km * self.settings.road_factor / kmh * 60.0
        return math.ceil(driving) + self.settings.overhead_minutes
