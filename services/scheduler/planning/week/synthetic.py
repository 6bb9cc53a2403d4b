"""A seeded synthetic week (benchmarks, tests): 7 days, 25 districts, ~150 requests.

Used when the sample week problem file is absent; shaped like the secretariat's reports:
the Tuesday cabinet meeting in Yongsan, a plenary afternoon, a Sejong + Daejeon day,
council round-tables with members' availability, a few mandatory requests.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from schemas.planning import PlanningProblem
from schemas.vocabulary import SEOUL_DISTRICTS, VisitCategory

CATEGORIES = [c.value for c in VisitCategory if c is not VisitCategory.FIXED_COMMITMENT]


def synthetic_week(
    seed: int = 7, requests: int = 150, days: int = 7, first: date = date(2026, 12, 7)
) -> PlanningProblem:
    rng = random.Random(seed)
    places: list[dict[str, Any]] = [
        {"id": "hall", "name": "서울시청", "district": "중구", "lat": 37.5663, "lon": 126.9779},
        {
            "id": "residence",
            "name": "시장 공관",
            "district": "종로구",
            "lat": 37.5935,
            "lon": 126.9675,
        },
        {
            "id": "yongsan",
            "name": "대통령실",
            "district": "용산구",
            "lat": 37.5326,
            "lon": 126.9776,
        },
        {
            "id": "council",
            "name": "서울특별시의회",
            "district": "중구",
            "lat": 37.5675,
            "lon": 126.9772,
        },
        {
            "id": "sejong",
            "name": "정부세종청사",
            "district": "세종",
            "lat": 36.5040,
            "lon": 127.2650,
            "region": "세종",
        },
        {
            "id": "daejeon",
            "name": "대전시청",
            "district": "대전",
            "lat": 36.3504,
            "lon": 127.3845,
            "region": "대전",
        },
    ]
    for k, district in enumerate(SEOUL_DISTRICTS):
        for j in range(3):
            places.append(
                {
                    "id": f"p{k:02d}{j}",
                    "name": f"{district} 현장 {j + 1}",
                    "district": district,
                    "lat": round(rng.uniform(37.46, 37.67), 4),
                    "lon": round(rng.uniform(126.83, 127.14), 4),
                }
            )
    dates = [first + timedelta(days=i) for i in range(days)]
    day_list = []
    for d in dates:
        weekend = d.weekday() >= 5
        day_list.append(
            {
                "date": d.isoformat(),
                "start": "08:00" if not weekend else "10:00",
                "end": "19:00" if not weekend else "16:00",
                "start_place_id": "residence",
                "end_place_id": "residence" if weekend else "hall",
                "lunch": {"earliest_start": "11:30", "latest_end": "13:30", "duration_minutes": 60},
                "max_visits": 6 if not weekend else 3,
                "buffer_minutes": 5,
                "blocked": (
                    [
                        {
                            "name": "시의회 본회의",
                            "start": "14:00",
                            "end": "17:00",
                            "place_id": "council",
                        }
                    ]
                    if d.weekday() == 3
                    else []
                ),
            }
        )
    commitments: list[dict[str, Any]] = [
        {
            "id": "cabinet",
            "title": "국무회의",
            "place_id": "yongsan",
            "start": _at(first - timedelta(days=first.weekday()) + timedelta(days=1), 10),
            "end": _at(first - timedelta(days=first.weekday()) + timedelta(days=1), 11, 30),
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
        },
        {
            "id": "staff",
            "title": "간부회의",
            "place_id": "hall",
            "start": _at(first, 8, 30),
            "end": _at(first, 9, 30),
            "rrule": "FREQ=WEEKLY;BYDAY=MO",
        },
    ]
    trip = next((d for d in dates if d.weekday() == 2), None)
    if trip is not None:
        commitments += [
            {
                "id": "sejong",
                "title": "중앙지방협력회의",
                "place_id": "sejong",
                "start": _at(trip, 11),
                "end": _at(trip, 13),
                "covers_lunch": True,
            },
            {
                "id": "daejeon",
                "title": "대전시장 면담",
                "place_id": "daejeon",
                "start": _at(trip, 14, 30),
                "end": _at(trip, 15, 30),
            },
        ]
    members = [
        {
            "id": f"m{k}",
            "name": f"가상 의원 {k}",
            "availability": [
                {"start": _at(d, rng.choice([9, 10, 13])), "end": _at(d, rng.choice([15, 17, 19]))}
                for d in dates
                if rng.random() < 0.6
            ],
        }
        for k in range(12)
    ]
    request_list = []
    seoul = [p["id"] for p in places[6:]]
    weekdays = [d for d in dates if d.weekday() < 5] or dates
    for r in range(requests):
        spread = rng.choice([1, 1, 2, 3])
        windows = []
        for d in rng.sample(weekdays, min(spread, len(weekdays))):
            a = rng.choice([8, 9, 10, 13, 14, 15])
            windows.append(
                {"start": _at(d, a), "end": _at(d, min(a + rng.choice([2, 3, 4, 8]), 19))}
            )
        category = rng.choice(CATEGORIES)
        needs = rng.sample([m["id"] for m in members], 2) if r % 15 == 0 else []
        request_list.append(
            {
                "id": f"r{r:03d}",
                "title": f"요청 {r:03d}",
                "place_id": "council" if needs else rng.choice(seoul),
                "duration_minutes": rng.choice([30, 45, 60, 60, 90]),
                "windows": windows,
                "priority": rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]),
                "mandatory": r % 37 == 5,
                "category": "council_meeting" if needs else category,
                "public": rng.random() < 0.8,
                "department": "가상 부서",
                "member_ids": needs,
            }
        )
    return PlanningProblem.model_validate(
        {
            "days": day_list,
            "places": places,
            "members": members,
            "commitments": commitments,
            "requests": request_list,
        }
    )


def _at(d: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(d, time(hour, minute)).isoformat()
