"""Seoul's 25 districts and where a place may plausibly be: pure checks over packaged data.

A place's coordinates must agree with its district: inside Seoul's bounding box and at most
:data:`MAX_KM_FROM_CENTROID` from the district's centroid. Seoul's districts reach at most
about 6 km from their centroids (강서구, 서초구, 강남구 are the widest), so 8 km accepts every
real address and refuses a place filed under the wrong district (노원구 to 강남구 is ~17 km).
Centroids are approximate geometric centres of the district boundaries, in `districts.json`.
"""

from __future__ import annotations

import json
from functools import cache
from math import asin, cos, radians, sin, sqrt

from schemas.vocabulary import OUTSIDE_SEOUL
from services.sample_data.base import DATA_DIR, Frozen, Latitude, Longitude

#: Seoul's bounding box (latitude, longitude).
SEOUL_LAT = (37.41, 37.72)
SEOUL_LON = (126.76, 127.19)
MAX_KM_FROM_CENTROID = 8.0
EARTH_RADIUS_KM = 6371.0


class District(Frozen):
    code: str
    name: str
    office: str
    latitude: Latitude  # the district office (구청)
    longitude: Longitude
    centroid_latitude: Latitude
    centroid_longitude: Longitude


class Place(Frozen):
    key: str
    name: str
    district: str  # a Seoul district name, or "서울 외"
    latitude: Latitude
    longitude: Longitude


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, q1, p2, q2 = map(radians, (lat1, lon1, lat2, lon2))
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin((q2 - q1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h))


def in_seoul(latitude: float, longitude: float) -> bool:
    return SEOUL_LAT[0] <= latitude <= SEOUL_LAT[1] and SEOUL_LON[0] <= longitude <= SEOUL_LON[1]


@cache
def packaged_districts() -> dict[str, District]:
    """The 25 districts shipped with the project, by name."""
    raw = json.loads((DATA_DIR / "districts.json").read_text(encoding="utf-8"))
    return {d.name: d for d in (District.model_validate(item) for item in raw)}


def misplaced(
    district: str,
    latitude: float,
    longitude: float,
    districts: dict[str, District] | None = None,
) -> str | None:
    """Why these coordinates cannot be in that district (Korean), or None if they can."""
    if district == OUTSIDE_SEOUL:
        return None
    known = packaged_districts() if districts is None else districts
    if district not in known:
        return None  # unknown names are refused by the district check itself
    if not in_seoul(latitude, longitude):
        return f"좌표({latitude}, {longitude})가 서울 밖입니다. 서울 밖이면 자치구를 '{OUTSIDE_SEOUL}'로 적어 주세요."
    centre = known[district]
    away = distance_km(latitude, longitude, centre.centroid_latitude, centre.centroid_longitude)
    if away > MAX_KM_FROM_CENTROID:
        return (
            f"좌표가 {district} 중심에서 {away:.1f}km 떨어져 있습니다 "
            f"({MAX_KM_FROM_CENTROID:.0f}km 이내여야 합니다). 자치구나 좌표를 확인해 주세요."
        )
    return None
