"""Travel times from an OSRM-compatible routing server (real road network)."""

from __future__ import annotations

import math
from datetime import datetime
from functools import lru_cache

import httpx

from services.scheduler.planning.travel import Location


class OsrmTravelTimes:
    """Driving time from OSRM's /route service, rounded up to whole minutes."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self._cached = lru_cache(maxsize=4096)(self._fetch)

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        if origin == destination:
            return 0
        return self._cached(origin, destination)

    def _fetch(self, origin: Location, destination: Location) -> int:
        coords = (
            f"{origin.longitude},{origin.latitude};{destination.longitude},{destination.latitude}"
        )
        response = self._client.get(f"/route/v1/driving/{coords}", params={"overview": "false"})
        response.raise_for_status()
        seconds = response.json()["routes"][0]["duration"]
        return math.ceil(seconds / 60)
