"""A whole planning problem as a file, and the plan the week planner writes back.

Times in a problem file are local wall-clock times in `timezone` (Seoul by default); a
datetime carrying an offset is converted to that zone. `problem_json_schema()` and
`plan_json_schema()` are published as schemas/planning_problem.schema.json and
schemas/planning_plan.schema.json (`write_json_schemas()`; a contract test keeps them current).
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from schemas.vocabulary import SEOUL_TIMEZONE_NAME, VisitCategory

SCHEMA_DIR = Path(__file__).resolve().parent
PROBLEM_SCHEMA_FILE = SCHEMA_DIR / "planning_problem.schema.json"
PLAN_SCHEMA_FILE = SCHEMA_DIR / "planning_plan.schema.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _local(moment: dt.datetime, zone: str) -> dt.datetime:
    """Naive local time in `zone` (an aware datetime is converted)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


# ---------------------------------------------------------------- problem


class Place(_Strict):
    """A place the mayor can be: City Hall, the residence, a site, another city's office."""

    id: str = Field(description="Unique id referred to by days, commitments and requests.")
    name: str = Field(description="Korean name shown in the itinerary.", examples=["서울시청"])
    district: str = Field(
        description="Seoul district (자치구) or a region outside Seoul (e.g. 세종, 대전).",
        examples=["중구"],
    )
    lat: float = Field(ge=-90, le=90, description="Latitude (WGS 84).")
    lon: float = Field(ge=-180, le=180, description="Longitude (WGS 84).")
    region: str = Field(
        default="서울",
        description="Region for fixed inter-region legs (see travel.region_minutes).",
        examples=["서울", "세종", "대전"],
    )


class TimeRange(_Strict):
    """A local period [start, end]; used for windows and availability."""

    start: dt.datetime = Field(description="Local start (inclusive).")
    end: dt.datetime = Field(description="Local end (inclusive).")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start (종료가 시작보다 늦어야 합니다)")
        return self


class Lunch(_Strict):
    """The lunch break of a day: a duration inside [earliest_start, latest_end]."""

    earliest_start: dt.time = Field(description="Lunch starts at or after this local time.")
    latest_end: dt.time = Field(description="Lunch ends at or before this local time.")
    duration_minutes: int = Field(gt=0, le=240, description="Length of the lunch break.")
    place_id: str | None = Field(
        default=None,
        description="Named place of lunch; null = where the mayor is (the previous activity's "
        "place, or the next one's when the mayor travels first).",
    )

    @model_validator(mode="after")
    def _fits(self) -> Self:
        span = (self.latest_end.hour * 60 + self.latest_end.minute) - (
            self.earliest_start.hour * 60 + self.earliest_start.minute
        )
        if span < self.duration_minutes:
            raise ValueError("lunch does not fit between earliest_start and latest_end")
        return self


class BlockedPeriod(_Strict):
    """A part of a day the mayor is unavailable for visits (plenary session, trip)."""

    name: str = Field(description="Korean name shown in the plan and in explanations.")
    start: dt.time | None = Field(default=None, description="Local start; null = day start.")
    end: dt.time | None = Field(default=None, description="Local end; null = day end.")
    place_id: str | None = Field(
        default=None,
        description="Where the mayor is during it (travel is planned there); null = stays put.",
    )


class Day(_Strict):
    """One day of the horizon: working hours, where it starts and ends, lunch, limits."""

    date: dt.date = Field(description="The local date.")
    start: dt.time = Field(default=dt.time(8, 0), description="Working hours start (local).")
    end: dt.time = Field(default=dt.time(20, 0), description="Working hours end (local).")
    start_place_id: str = Field(description="Where the day starts (residence, City Hall, …).")
    end_place_id: str = Field(description="Where the day must end by `end`.")
    lunch: Lunch | None = Field(default=None, description="Lunch break; null = none.")
    max_visits: int | None = Field(
        default=None, ge=0, description="Most requests placed on this day; null = no limit."
    )
    buffer_minutes: int = Field(
        default=0, ge=0, le=120, description="Kept free before and after each visit."
    )
    blocked: list[BlockedPeriod] = Field(
        default_factory=list, description="Periods without visits (whole day if no times)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("day end must be after day start (근무 종료가 시작보다 늦어야 합니다)")
        return self


class CouncilMember(_Strict):
    """A council member who must attend some requests; the visit must fit their availability."""

    id: str = Field(description="Unique id referred to by requests.")
    name: str = Field(description="Name (the sample roster is fictional).")
    availability: list[TimeRange] = Field(
        default_factory=list, description="When the member can attend (local)."
    )


class Commitment(_Strict):
    """A fixed item at an exact place and time, one-off or recurring (RFC 5545 RRULE)."""

    id: str = Field(description="Unique id.")
    title: str = Field(description="Korean title.", examples=["국무회의"])
    place_id: str = Field(description="Where it happens.")
    start: dt.datetime = Field(description="Local start of the (first) occurrence.")
    end: dt.datetime = Field(description="Local end of the (first) occurrence.")
    rrule: str | None = Field(
        default=None,
        description="RFC 5545 recurrence rule without the 'RRULE:' prefix.",
        examples=["FREQ=WEEKLY;BYDAY=TU"],
    )
    exdates: list[dt.datetime] = Field(
        default_factory=list, description="Local starts of cancelled occurrences."
    )
    covers_lunch: bool = Field(default=False, description="The mayor has lunch during it.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start (종료가 시작보다 늦어야 합니다)")
        return self


class Request(_Strict):
    """A visit the office may place: the whole visit inside one of its windows."""

    id: str = Field(description="Unique id.")
    title: str = Field(description="Korean title.")
    place_id: str = Field(description="Where the visit happens.")
    duration_minutes: int = Field(gt=0, le=720, description="Length of the visit.")
    windows: list[TimeRange] = Field(min_length=1, description="Allowed periods (local).")
    priority: int = Field(ge=1, le=5, description="1 (low) … 5 (high).")
    mandatory: bool = Field(default=False, description="Must be placed.")
    category: VisitCategory = Field(description="Kind of visit.")
    public: bool = Field(default=True, description="Shown in the public calendar.")
    department: str | None = Field(default=None, description="Requesting department.")
    member_ids: list[str] = Field(
        default_factory=list, description="Council members who must all attend."
    )

    @model_validator(mode="after")
    def _fits_a_window(self) -> Self:
        longest = max((w.end - w.start).total_seconds() / 60 for w in self.windows)
        if self.duration_minutes > longest:
            raise ValueError("duration_minutes is longer than every window (모든 시간대보다 김)")
        return self


class SpeedBand(_Strict):
    """Driving speed in a local time-of-day band [start, end)."""

    start: dt.time = Field(description="Band start (local, inclusive).")
    end: dt.time = Field(description="Band end (local, exclusive).")
    kmh: float = Field(gt=0, description="Speed inside Seoul in this band.")


class RegionLeg(_Strict):
    """Fixed minutes between two regions (either direction), e.g. 서울–세종."""

    a: str = Field(description="One region.", examples=["서울"])
    b: str = Field(description="The other region.", examples=["세종"])
    minutes: int = Field(gt=0, description="Door-to-door minutes.")


def _default_bands() -> list[SpeedBand]:
    return [
        SpeedBand(start=dt.time(7, 0), end=dt.time(9, 0), kmh=18.0),
        SpeedBand(start=dt.time(17, 0), end=dt.time(19, 0), kmh=18.0),
    ]


def _default_regions() -> list[RegionLeg]:
    return [
        RegionLeg(a="서울", b="세종", minutes=120),
        RegionLeg(a="서울", b="대전", minutes=130),
        RegionLeg(a="세종", b="대전", minutes=40),
    ]


class TravelSettings(_Strict):
    """The departure-time-dependent travel model (same place = 0 minutes)."""

    road_factor: float = Field(default=1.35, gt=0, description="Road km per straight km.")
    speed_bands: list[SpeedBand] = Field(
        default_factory=_default_bands, description="Speeds by departure time of day."
    )
    default_kmh: float = Field(default=26.0, gt=0, description="Speed outside every band.")
    overhead_minutes: int = Field(default=5, ge=0, description="Fixed minutes per non-zero leg.")
    region_minutes: list[RegionLeg] = Field(
        default_factory=_default_regions, description="Fixed minutes between regions."
    )
    road_minutes: dict[str, dict[str, NonNegativeInt]] = Field(
        default_factory=dict,
        description="Door-to-door minutes of legs priced by a routing provider (e.g. OSRM), "
        "origin place id → destination place id → minutes, for a departure at the default "
        "speed (outside every band). Inside a region a band scales them by default_kmh / its "
        "kmh; between regions they are taken as they are (instead of region_minutes); "
        "overhead_minutes is not added. Legs not listed use the straight-line estimate.",
        examples=[{"hall": {"site-1": 18}, "site-1": {"hall": 21}}],
    )


def _default_worth() -> dict[int, int]:
    return {1: 1, 2: 3, 3: 9, 4: 27, 5: 81}


class ObjectiveWeights(_Strict):
    """What a placed request is worth, by priority (value first, travel minutes second)."""

    priority_worth: dict[int, int] = Field(
        default_factory=_default_worth,
        description="Worth of a placed request by priority 1–5.",
    )

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if sorted(self.priority_worth) != [1, 2, 3, 4, 5] or min(self.priority_worth.values()) < 0:
            raise ValueError("priority_worth needs a non-negative worth for each of 1..5")
        return self


class PlanningProblem(_Strict):
    """Everything the week planner needs: 1–14 days and what may fill them."""

    timezone: str = Field(default=SEOUL_TIMEZONE_NAME, description="IANA zone of local times.")
    grid_minutes: int = Field(default=5, ge=1, le=60, description="Starts fall on this grid.")
    days: list[Day] = Field(min_length=1, max_length=14, description="The horizon, in order.")
    places: list[Place] = Field(min_length=1, description="Every place referred to.")
    members: list[CouncilMember] = Field(default_factory=list, description="Council members.")
    commitments: list[Commitment] = Field(default_factory=list, description="Fixed items.")
    requests: list[Request] = Field(default_factory=list, description="Visits to place.")
    travel: TravelSettings = Field(default_factory=TravelSettings, description="Travel model.")
    weights: ObjectiveWeights = Field(
        default_factory=ObjectiveWeights, description="Objective weights."
    )

    @model_validator(mode="after")
    def _references(self) -> Self:
        self._normalise_times()
        places = {p.id for p in self.places}
        members = {m.id for m in self.members}
        problems: list[str] = []

        def place(ref: str | None, where: str) -> None:
            if ref is not None and ref not in places:
                problems.append(f"{where}: unknown place '{ref}' (알 수 없는 장소)")

        for i, day in enumerate(self.days):
            place(day.start_place_id, f"days.{i}.start_place_id")
            place(day.end_place_id, f"days.{i}.end_place_id")
            if day.lunch is not None:
                place(day.lunch.place_id, f"days.{i}.lunch.place_id")
            for k, block in enumerate(day.blocked):
                place(block.place_id, f"days.{i}.blocked.{k}.place_id")
        for i, commitment in enumerate(self.commitments):
            place(commitment.place_id, f"commitments.{i}.place_id")
        for origin, legs in self.travel.road_minutes.items():
            place(origin, "travel.road_minutes")
            for destination in legs:
                place(destination, f"travel.road_minutes.{origin}")
        for i, request in enumerate(self.requests):
            place(request.place_id, f"requests.{i}.place_id")
            for member in request.member_ids:
                if member not in members:
                    problems.append(
                        f"requests.{i}.member_ids: unknown member '{member}' (알 수 없는 의원)"
                    )
        dates = [d.date for d in self.days]
        if dates != sorted(set(dates)):
            problems.append("days: dates must be distinct and in order (날짜 중복/순서 오류)")
        for kind, items in (
            ("places", self.places),
            ("members", self.members),
            ("commitments", self.commitments),
            ("requests", self.requests),
        ):
            ids = [item.id for item in items]
            if len(ids) != len(set(ids)):
                problems.append(f"{kind}: ids must be unique (중복 id)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _normalise_times(self) -> None:
        zone = self.timezone
        for member in self.members:
            for window in member.availability:
                window.start, window.end = _local(window.start, zone), _local(window.end, zone)
        for request in self.requests:
            for window in request.windows:
                window.start, window.end = _local(window.start, zone), _local(window.end, zone)
        for commitment in self.commitments:
            commitment.start = _local(commitment.start, zone)
            commitment.end = _local(commitment.end, zone)
            commitment.exdates = [_local(x, zone) for x in commitment.exdates]


# ---------------------------------------------------------------- plan


class ItemKind(StrEnum):
    """What an itinerary item is."""

    COMMITMENT = "commitment"
    VISIT = "visit"
    LUNCH = "lunch"
    BLOCKED = "blocked"


class ReasonCode(StrEnum):
    """Why a request was left out."""

    NO_WINDOW = "no_window"  # no window inside working hours
    MEMBERS_UNAVAILABLE = "members_unavailable"  # the members are never all free in a window
    DAY_FULL = "day_full"  # max visits reached on every day it could go
    BLOCKED = "blocked"  # a commitment or blocked period covers its windows
    UNREACHABLE = "unreachable"  # travel from/to the day's start/end leaves no room
    OUTVALUED = "outvalued"  # items worth at least as much took its time
    NO_ROOM = "no_room"  # the legs to and from the neighbouring items leave no gap


class PlanItem(_Strict):
    """One item of a day, in order."""

    kind: ItemKind = Field(description="commitment, visit, lunch or blocked.")
    id: str = Field(description="Request/commitment id, or 'lunch@DATE' / 'blocked@DATE#k'.")
    title: str = Field(description="Korean title.")
    place_id: str | None = Field(description="Where it happens (null: a block without place).")
    start: dt.datetime = Field(description="Local start.")
    end: dt.datetime = Field(description="Local end.")
    travel_minutes_before: int = Field(
        ge=0, description="Driving minutes from the previous place (departure-time dependent)."
    )
    depart_previous: dt.datetime | None = Field(
        default=None, description="When the mayor leaves the previous place for this item."
    )
    worth: int = Field(default=0, description="Objective worth (visits only).")


class DayPlanOut(_Strict):
    """One day of the plan."""

    date: dt.date = Field(description="Local date.")
    start_place_id: str = Field(description="Where the day starts.")
    end_place_id: str = Field(description="Where the day ends.")
    leave_start: dt.datetime = Field(description="When the mayor leaves the start place.")
    arrive_end: dt.datetime = Field(description="When the mayor reaches the end place.")
    items: list[PlanItem] = Field(description="Items in order.")
    visits: int = Field(description="Requests placed this day.")
    travel_minutes: int = Field(description="Driving minutes this day.")


class LeftOut(_Strict):
    """A request not placed, and why (every claim checkable against the plan)."""

    request_id: str = Field(description="The request.")
    code: ReasonCode = Field(description="Reason code.")
    reason: str = Field(description="Korean explanation.")
    named_ids: list[str] = Field(
        default_factory=list, description="Items the reason names (commitments, visits, days)."
    )


class ScoreOut(_Strict):
    """Ordered objective terms: compared lexicographically, first term first."""

    terms: list[tuple[str, int]] = Field(
        description="(name, value) in order of importance; value is maximised, travel minimised."
    )


class WeekPlanOut(_Strict):
    """The plan file written by `dongseon plan`."""

    days: list[DayPlanOut] = Field(description="Per day, the ordered items.")
    left_out: list[LeftOut] = Field(description="Every request not placed, with its reason.")
    conflicts: list[list[str]] = Field(
        default_factory=list,
        description="Smallest conflicting sets of mandatory items (empty when feasible).",
    )
    total_value: int = Field(description="Worth of the placed requests.")
    total_travel_minutes: int = Field(description="Driving minutes over the horizon.")
    score: ScoreOut = Field(description="The objective terms of evaluate().")
    solver_status: str = Field(description="OR-Tools status.")


def problem_json_schema() -> dict[str, Any]:
    return PlanningProblem.model_json_schema()


def plan_json_schema() -> dict[str, Any]:
    return WeekPlanOut.model_json_schema()


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_json_schemas() -> None:
    """Regenerate the two published JSON Schema files."""
    PROBLEM_SCHEMA_FILE.write_text(render_schema(problem_json_schema()), encoding="utf-8")
    PLAN_SCHEMA_FILE.write_text(render_schema(plan_json_schema()), encoding="utf-8")


if __name__ == "__main__":
    write_json_schemas()
