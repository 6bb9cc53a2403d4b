"""Travel times from an OSRM-compatible routing server (real road network)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

import httpx

from services.scheduler.planning.travel import Location

TABLE_BLOCK = 100  # osrm-routed's default --max-table-size: sources × destinations ≤ 100²


class OsrmTravelTimes:
    """Driving time from OSRM's /route and /table services, rounded up to whole minutes."""

    def __init__(
        self, base_url: str, timeout: float = 5.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )
        self._cached = lru_cache(maxsize=4096)(self._fetch)

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        if origin == destination:
            return 0
        return self._cached(origin, destination)

    def matrix(self, locations: Sequence[Location]) -> list[list[int | None]]:
        """Minutes between every pair, a block of at most 100 × 100 per /table request.

        None where OSRM finds no route (the week model then estimates that leg).
        """
        coords = ";".join(f"{p.longitude},{p.latitude}" for p in locations)
        blocks = range(0, len(locations), TABLE_BLOCK)
        rows: list[list[int | None]] = [[None] * len(locations) for _ in locations]
        for first_source in blocks:
            sources = range(first_source, min(first_source + TABLE_BLOCK, len(locations)))
            for first_destination in blocks:
                end = min(first_destination + TABLE_BLOCK, len(locations))
                destinations = range(first_destination, end)
                response = self._client.get(
                    f"/table/v1/driving/{coords}",
                    params={
                        "sources": ";".join(map(str, sources)),
                        "destinations": ";".join(map(str, destinations)),
                        "annotations": "duration",
                    },
                )
                response.raise_for_status()
                durations = response.json()["durations"]
                for i, row in zip(sources, durations, strict=True):
                    for j, seconds in zip(destinations, row, strict=True):
                        rows[i][j] = 0 if i == j else _minutes(seconds)
        return rows

    def _fetch(self, origin: Location, destination: Location) -> int:
        coords = (
            f"{origin.longitude},{origin.latitude};{destination.longitude},{destination.latitude}"
        )
        response = self._client.get(f"/route/v1/driving/{coords}", params={"overview": "false"})
        response.raise_for_status()
        seconds = response.json()["routes"][0]["duration"]
        return math.ceil(seconds / 60)


def _minutes(seconds: float | None) -> int | None:
    return None if seconds is None else math.ceil(seconds / 60)
