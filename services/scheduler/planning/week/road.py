"""The service's travel provider in the week model: its minutes become the problem's legs.

A provider (services/scheduler/planning/travel.py: the OSRM adapter, or one a test brings)
answers "how long from here to there, leaving then". The week model needs minutes it can
re-read exactly when it checks a plan, so the provider is asked once per leg, at a moment
outside every speed band of the problem's travel settings, and the answers are written
into the problem as `travel.road_minutes`: the speed bands then scale them by time of day
(week/travel.py), and the plan the user sees is checked against exactly those numbers.
A provider whose minutes do not depend on the departure (OSRM) may answer every leg in
one go (`matrix`); a leg it cannot price is left to the estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from schemas.planning import PlanningProblem
from services.scheduler.planning.travel import Location, TravelTimeProvider, travel_matrix

NOON = 12 * 60


@runtime_checkable
class TravelMatrixProvider(Protocol):
    def matrix(self, locations: Sequence[Location]) -> list[list[int | None]]:
        """Minutes between every pair (None: no route), whatever the departure."""
        ...


def with_road_minutes(problem: PlanningProblem, provider: TravelTimeProvider) -> PlanningProblem:
    """The problem with every leg between two of its places priced by `provider`."""
    places = problem.places
    locations = [Location(p.lat, p.lon) for p in places]
    matrix: Sequence[Sequence[int | None]]
    if isinstance(provider, TravelMatrixProvider):
        matrix = provider.matrix(locations)
    else:
        matrix = travel_matrix(locations, provider, off_peak_departure(problem))
    road = {
        origin.id: {
            destination.id: minutes
            for j, destination in enumerate(places)
            if i != j and (minutes := matrix[i][j]) is not None
        }
        for i, origin in enumerate(places)
    }
    travel = problem.travel.model_copy(update={"road_minutes": road})
    return problem.model_copy(update={"travel": travel})


def off_peak_departure(problem: PlanningProblem) -> datetime:
    """The moment of the first day nearest noon outside every speed band (default speed).

    Bands covering the whole day leave no such moment: noon then (its band's speed is what
    the priced minutes are scaled from, a documented approximation).
    """
    bands = [(band.start, band.end) for band in problem.travel.speed_bands]
    zone = ZoneInfo(problem.timezone)
    day = problem.days[0].date
    for minute in sorted(range(0, 24 * 60, 5), key=lambda m: (abs(m - NOON), m)):
        moment = time(minute // 60, minute % 60)
        if not any(start <= moment < end for start, end in bands):
            return datetime.combine(day, moment, zone)
    return datetime.combine(day, time(12), zone)
