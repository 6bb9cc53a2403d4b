"""The packaged sample data (districts, places, fictional council roster, template week).

Pure loading and validation: the JSON files next to this module are parsed into frozen
pydantic models and cross-checked; :func:`materialise_week` turns the weekday template into
concrete, timezone-aware (Asia/Seoul) requests and commitments for a given Monday. The
models live in one module per concept; this one ties them together.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import model_validator

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL, SEOUL_DISTRICTS
from services.sample_data.base import DATA_DIR, Frozen
from services.sample_data.geography import SEOUL_LAT, SEOUL_LON, District, Place, misplaced
from services.sample_data.roster import (
    CAUCUSES,
    EMAIL_DOMAIN,
    ROLE_COUNTS,
    STANDING_COMMITTEES,
    STEERING_COMMITTEE,
    CouncilMember,
    CouncilRoster,
    LeadershipRole,
    check_roster,
)
from services.sample_data.templates import (
    WORKDAY_END,
    WORKDAY_START,
    CommitmentTemplate,
    RequestTemplate,
    TimeWindow,
    in_workday,
)
from services.sample_data.week import (
    ConcreteCommitment,
    ConcreteRequest,
    ConcreteWindow,
    WeekDay,
)

SEOUL_TZ = SEOUL

__all__ = [
    "CAUCUSES",
    "DATA_DIR",
    "EMAIL_DOMAIN",
    "ROLE_COUNTS",
    "SEOUL_LAT",
    "SEOUL_LON",
    "STANDING_COMMITTEES",
    "STEERING_COMMITTEE",
    "WORKDAY_END",
    "WORKDAY_START",
    "Catalog",
    "CommitmentTemplate",
    "ConcreteCommitment",
    "ConcreteRequest",
    "ConcreteWindow",
    "CouncilMember",
    "CouncilRoster",
    "District",
    "LeadershipRole",
    "Place",
    "RequestTemplate",
    "TimeWindow",
    "WeekDay",
    "load_catalog",
    "materialise_week",
    "week_of",
]


class Catalog(Frozen):
    districts: list[District]
    places: list[Place]
    roster: CouncilRoster
    requests: list[RequestTemplate]
    commitments: list[CommitmentTemplate]

    @model_validator(mode="after")
    def _cross_check(self) -> Catalog:
        names = [d.name for d in self.districts]
        if sorted(names) != sorted(SEOUL_DISTRICTS):
            raise ValueError("districts must be exactly Seoul's 25 자치구")
        if len({d.code for d in self.districts}) != len(self.districts):
            raise ValueError("duplicate district codes")
        keys = [p.key for p in self.places]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate place keys")
        for p in self.places:
            if p.district not in names and p.district != OUTSIDE_SEOUL:
                raise ValueError(f"place {p.key}: unknown district {p.district!r}")
            by_name = {d.name: d for d in self.districts}
            if problem := misplaced(p.district, p.latitude, p.longitude, by_name):
                raise ValueError(f"place {p.key}: {problem}")
        check_roster(self.roster, set(names))
        refs = [r.ref for r in self.requests] + [c.ref for c in self.commitments]
        if len(set(refs)) != len(refs):
            raise ValueError("duplicate request/commitment refs")
        for r in self.requests:
            if r.place_key not in keys:
                raise ValueError(f"{r.ref}: unknown place {r.place_key!r}")
            if not all(in_workday(w.start, w.end) for w in r.windows):
                raise ValueError(f"{r.ref}: window outside {WORKDAY_START}–{WORKDAY_END}")
        for c in self.commitments:
            if c.place_key not in keys:
                raise ValueError(f"{c.ref}: unknown place {c.place_key!r}")
            if not in_workday(c.start, c.end):
                raise ValueError(f"{c.ref}: outside {WORKDAY_START}–{WORKDAY_END}")
        return self

    def place(self, key: str) -> Place:
        return next(p for p in self.places if p.key == key)

    def members_in(self, district: str) -> list[CouncilMember]:
        return [m for m in self.roster.members if m.district == district]


def _read(directory: Path, name: str) -> Any:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def load_catalog(directory: Path = DATA_DIR) -> Catalog:
    """Read and validate the sample JSON files (the packaged ones by default)."""
    return Catalog.model_validate(
        {
            "districts": _read(directory, "districts.json"),
            "places": _read(directory, "places.json"),
            "roster": _read(directory, "council_roster.json"),
            "requests": _read(directory, "week_requests.json"),
            "commitments": _read(directory, "commitments.json"),
        }
    )


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t, tzinfo=SEOUL)


def materialise_week(
    catalog: Catalog, monday: date
) -> tuple[list[ConcreteRequest], list[ConcreteCommitment]]:
    """The template week placed on the Monday–Friday starting at ``monday`` (Asia/Seoul)."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    requests = [
        ConcreteRequest(
            **r.model_dump(exclude={"day", "windows"}),
            date=(d := monday + timedelta(days=r.day)),
            district=catalog.place(r.place_key).district,
            windows=[ConcreteWindow(start=_at(d, w.start), end=_at(d, w.end)) for w in r.windows],
        )
        for r in catalog.requests
    ]
    commitments = [
        ConcreteCommitment(
            **c.model_dump(exclude={"day", "start", "end", "duration_minutes"}),
            date=(d := monday + timedelta(days=c.day)),
            district=catalog.place(c.place_key).district,
            start=_at(d, c.start),
            end=_at(d, c.end),
        )
        for c in catalog.commitments
    ]
    return requests, commitments


def week_of(monday: date, catalog: Catalog | None = None) -> list[WeekDay]:
    """The sample week as five working days (Monday..Friday), each with its items."""
    requests, commitments = materialise_week(catalog or load_catalog(), monday)
    days = [monday + timedelta(days=i) for i in range(5)]
    return [
        WeekDay(
            date=d,
            requests=[r for r in requests if r.date == d],
            commitments=[c for c in commitments if c.date == d],
        )
        for d in days
    ]
