"""The packaged sample data (districts, places, fictional council roster, template week).

Pure loading and validation: the JSON files next to this module are parsed into frozen
pydantic models and cross-checked; :func:`materialise_week` turns the weekday template into
concrete, timezone-aware (Asia/Seoul) requests and commitments for a given Monday.

Template times are local wall-clock times. A request window is the interval the whole visit
must fit in (start at or after ``start``, finish at or before ``end``).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_DISTRICTS, PolicyArea, VisitCategory

SEOUL_TZ = ZoneInfo("Asia/Seoul")
DATA_DIR = Path(__file__).parent

#: Seoul's bounding box (latitude, longitude) used to sanity-check district offices.
SEOUL_LAT = (37.41, 37.72)
SEOUL_LON = (126.76, 127.19)
#: Every template time must fall inside this working day.
WORKDAY_START = time(7, 0)
WORKDAY_END = time(22, 0)

STANDING_COMMITTEES: tuple[str, ...] = (
    "운영위원회",
    "행정자치위원회",
    "기획경제위원회",
    "환경수자원위원회",
    "문화체육관광위원회",
    "보건복지위원회",
    "주택공간위원회",
    "도시계획균형위원회",
    "교통위원회",
    "도시안전건설위원회",
    "교육위원회",
)
STEERING_COMMITTEE = "운영위원회"
CAUCUSES: tuple[str, ...] = ("가나다당", "라마바당")
EMAIL_DOMAIN = "example.kr"


class LeadershipRole(StrEnum):
    """Council leadership roles (의장단, 운영위원장, 교섭단체 대표의원, 상임위원장)."""

    CHAIR = "chair"  # 의장
    VICE_CHAIR = "vice_chair"  # 부의장
    STEERING_CHAIR = "steering_chair"  # 운영위원장
    CAUCUS_LEADER = "caucus_leader"  # 교섭단체 대표의원
    COMMITTEE_CHAIR = "committee_chair"  # 상임위원장


#: How many members hold each role (committee chairs: one per standing committee).
ROLE_COUNTS: dict[LeadershipRole, int] = {
    LeadershipRole.CHAIR: 1,
    LeadershipRole.VICE_CHAIR: 2,
    LeadershipRole.STEERING_CHAIR: 1,
    LeadershipRole.CAUCUS_LEADER: len(CAUCUSES),
    LeadershipRole.COMMITTEE_CHAIR: len(STANDING_COMMITTEES),
}

Weekday = Annotated[int, Field(ge=0, le=4, description="0 = Monday … 4 = Friday")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _in_workday(*times: time) -> bool:
    return all(WORKDAY_START <= t <= WORKDAY_END for t in times)


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class District(_Frozen):
    code: str
    name: str
    office: str
    latitude: Latitude
    longitude: Longitude


class Place(_Frozen):
    key: str
    name: str
    district: str  # a Seoul district name, or "서울 외"
    latitude: Latitude
    longitude: Longitude


class CouncilMember(_Frozen):
    id: str
    name: str
    email: str
    district: str
    committees: list[str] = Field(min_length=1)
    roles: list[LeadershipRole] = Field(default_factory=list)
    caucus: str


class CouncilRoster(_Frozen):
    fictional: bool
    notice: str
    members: list[CouncilMember]


class TimeWindow(_Frozen):
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if not self.start < self.end:
            raise ValueError(f"window {self.start}–{self.end} is empty")
        return self

    @property
    def minutes(self) -> int:
        return _minutes(self.start, self.end)


class RequestTemplate(_Frozen):
    ref: str
    day: Weekday
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    duration_minutes: int = Field(gt=0)
    windows: list[TimeWindow] = Field(min_length=1)
    priority: int = Field(ge=1, le=5, description="5 is highest")
    public: bool
    important: bool
    requesting_department: str

    @model_validator(mode="after")
    def _fits(self) -> RequestTemplate:
        if self.category is VisitCategory.FIXED_COMMITMENT:
            raise ValueError(f"{self.ref}: a request cannot be a fixed commitment")
        if not any(w.minutes >= self.duration_minutes for w in self.windows):
            raise ValueError(f"{self.ref}: {self.duration_minutes} min fits no window")
        return self


class CommitmentTemplate(_Frozen):
    ref: str
    day: Weekday
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    duration_minutes: int = Field(gt=0)
    start: time
    end: time
    public: bool
    important: bool
    requesting_department: str
    recurrence: Literal["weekly"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentTemplate:
        if _minutes(self.start, self.end) != self.duration_minutes:
            raise ValueError(f"{self.ref}: start/end disagree with duration_minutes")
        return self


class ConcreteWindow(_Frozen):
    start: AwareDatetime
    end: AwareDatetime


class ConcreteRequest(_Frozen):
    ref: str
    date: date
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    district: str
    duration_minutes: int
    windows: list[ConcreteWindow]
    priority: int
    public: bool
    important: bool
    requesting_department: str


class ConcreteCommitment(_Frozen):
    ref: str
    date: date
    title: str
    purpose: str
    category: VisitCategory
    policy_area: PolicyArea
    place_key: str
    district: str
    start: AwareDatetime
    end: AwareDatetime
    public: bool
    important: bool
    requesting_department: str
    recurrence: Literal["weekly"] | None = None


class WeekDay(_Frozen):
    """One working day of a materialised week."""

    date: date
    requests: list[ConcreteRequest]
    commitments: list[ConcreteCommitment]


def _check_roster(roster: CouncilRoster, district_names: set[str]) -> None:
    if not roster.fictional:
        raise ValueError("the sample council roster must be marked fictional")
    members = roster.members
    for field in ("id", "email"):
        dupes = [v for v, n in Counter(getattr(m, field) for m in members).items() if n > 1]
        if dupes:
            raise ValueError(f"duplicate member {field}: {dupes}")
    for m in members:
        if not m.email.endswith("@council." + EMAIL_DOMAIN):
            raise ValueError(f"{m.id}: e-mail must use the {EMAIL_DOMAIN} example domain")
        if m.district not in district_names:
            raise ValueError(f"{m.id}: unknown district {m.district!r}")
        if unknown := set(m.committees) - set(STANDING_COMMITTEES):
            raise ValueError(f"{m.id}: unknown committees {sorted(unknown)}")
        if m.caucus not in CAUCUSES:
            raise ValueError(f"{m.id}: unknown caucus {m.caucus!r}")
    for role, expected in ROLE_COUNTS.items():
        holders = [m for m in members if role in m.roles]
        if len(holders) != expected:
            raise ValueError(f"{role}: {len(holders)} holders, expected {expected}")
    steering = next(m for m in members if LeadershipRole.STEERING_CHAIR in m.roles)
    if STEERING_COMMITTEE not in steering.committees:
        raise ValueError(f"steering chair {steering.id} must sit on {STEERING_COMMITTEE}")
    leaders = sorted(m.caucus for m in members if LeadershipRole.CAUCUS_LEADER in m.roles)
    if leaders != sorted(CAUCUSES):
        raise ValueError(f"need one caucus leader per caucus, got {leaders}")
    chaired = Counter(
        c for m in members if LeadershipRole.COMMITTEE_CHAIR in m.roles for c in m.committees
    )
    if any(chaired[c] != 1 for c in STANDING_COMMITTEES):
        raise ValueError(f"each committee needs exactly one chair, got {dict(chaired)}")


class Catalog(_Frozen):
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
        _check_roster(self.roster, set(names))
        refs = [r.ref for r in self.requests] + [c.ref for c in self.commitments]
        if len(set(refs)) != len(refs):
            raise ValueError("duplicate request/commitment refs")
        for r in self.requests:
            if r.place_key not in keys:
                raise ValueError(f"{r.ref}: unknown place {r.place_key!r}")
            if not all(_in_workday(w.start, w.end) for w in r.windows):
                raise ValueError(f"{r.ref}: window outside {WORKDAY_START}–{WORKDAY_END}")
        for c in self.commitments:
            if c.place_key not in keys:
                raise ValueError(f"{c.ref}: unknown place {c.place_key!r}")
            if not _in_workday(c.start, c.end):
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
    return datetime.combine(day, t, tzinfo=SEOUL_TZ)


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
