"""The realistic sample week: about 150 requests over 7 days, generated from templates.

Deterministic (one seed): the same Monday always gives the same week. Every district
appears, every category too; the week has the Monday staff meeting, the Tuesday cabinet
meeting in Yongsan (weekly RRULE), a plenary day (Wednesday), a Sejong + Daejeon trip
(Thursday), ten council round-tables whose members must all be free, and five mandatory
requests. Coordinates lie near each district's office, inside the API's 8 km rule.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from schemas.vocabulary import SEOUL, VisitCategory
from services.sample_data.catalog import Catalog, load_catalog
from services.sample_data.geography import misplaced
from services.sample_data.week_items import (
    SampleWeek,
    Venue,
    WeekCommitment,
    WeekRequest,
)
from services.sample_data.week_special import (
    COMMITMENTS,
    MANDATORY,
    SPECIAL_VENUES,
    Special,
)
from services.sample_data.week_templates import COUNCIL_MEETINGS, KINDS, SLOTS, TOPICS, Kind

SEED = 20230419  # the date of the field-visit report
#: Requests per day, Monday..Sunday (≈150); Wednesday is the plenary, Thursday the trip.
PER_DAY = (27, 25, 16, 12, 28, 24, 18)
PLENARY, TRIP, WEEKEND = 2, 3, (5, 6)
COUNCIL_DAYS = (0, 1, 4, 0, 1, 4, 0, 1, 4, 4)


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), SEOUL)


def sample_week(monday: date, catalog: Catalog | None = None) -> SampleWeek:
    """The realistic week starting at `monday` (a Monday), always the same for that date."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    catalog = catalog or load_catalog()
    builder = _Builder(monday, catalog, random.Random(SEED))
    specials = [builder.special(s) for s in MANDATORY] + builder.council_meetings()
    requests: list[WeekRequest] = list(specials)
    taken = [
        sum(1 for r in specials if r.windows[0][0].date() == monday + timedelta(d))
        for d in range(7)
    ]
    for day, count in enumerate(PER_DAY):
        for _ in range(count - taken[day]):
            requests.append(builder.generic(day, len(requests) + 1))
    commitments = tuple(builder.commitment(c) for c in COMMITMENTS)
    return SampleWeek(monday, tuple(requests), commitments, builder.availability())


class _Builder:
    def __init__(self, monday: date, catalog: Catalog, rng: random.Random) -> None:
        self.monday, self.catalog, self.rng = monday, catalog, rng
        self.districts = {d.name: d for d in catalog.districts}
        order = [name for name in self.districts for _ in range(6)]
        rng.shuffle(order)
        self.district_cycle = order
        self.venues: dict[str, Venue] = {}
        self.members_of_meetings: list[tuple[int, tuple[str, ...]]] = []
        self.used_topics: set[tuple[Kind, str]] = set()
        self.used_venues: set[str] = set()

    def day(self, index: int) -> date:
        return self.monday + timedelta(days=index)

    def venue(self, key: str) -> Venue:
        """A venue by key: a packaged place, a special one, or one drawn for a district."""
        if key in self.venues:
            return self.venues[key]
        if key in SPECIAL_VENUES:
            venue = Venue(key, *SPECIAL_VENUES[key])
        else:
            place = self.catalog.place(key)
            region = {"sejong-city-hall": "세종", "daejeon-city-hall": "대전"}.get(key, "서울")
            venue = Venue(key, place.name, place.district, place.latitude, place.longitude, region)
        self.venues[key] = venue
        return venue

    def district_venue(self, district: str, kind_index: int, venue_type: str) -> Venue:
        info = self.districts[district]
        key = f"{info.code}-{kind_index:02d}-{venue_type}"
        if key in self.venues:
            return self.venues[key]
        if venue_type == "구청":
            venue = Venue(key, info.office, district, info.latitude, info.longitude)
        else:
            short = district[:-1] if len(district) > 2 else district
            latitude, longitude = self.near(info.latitude, info.longitude, district)
            venue = Venue(key, f"{short} {venue_type}", district, latitude, longitude)
        self.venues[key] = venue
        return venue

    def near(self, latitude: float, longitude: float, district: str) -> tuple[float, float]:
        """A point 0.3–1.5 km from the district office that the API's district rule accepts."""
        radius, angle = self.rng.uniform(0.3, 1.5), self.rng.uniform(0, 2 * math.pi)
        while True:
            lat = latitude + radius * math.cos(angle) / 111.0
            lon = longitude + radius * math.sin(angle) / (111.0 * math.cos(math.radians(latitude)))
            point = (round(lat, 5), round(lon, 5))
            if misplaced(district, *point) is None:
                return point
            radius /= 2

    def window(self, day: int, slot: str) -> tuple[datetime, datetime]:
        start, end = SLOTS[slot]
        return at(self.day(day), start), at(self.day(day), end)

    def special(self, item: Special) -> WeekRequest:
        venue = self.venue(item.venue)
        windows = tuple(
            (at(self.day(item.day), s), at(self.day(item.day), e)) for s, e in item.windows
        )
        return WeekRequest(
            item.ref,
            item.title,
            item.purpose,
            item.category,
            item.policy_area,
            venue,
            item.duration_minutes,
            windows,
            item.priority,
            True,
            True,
            item.department,
            mandatory=True,
            member_ids=self.leadership() if item.leadership else (),
        )

    def leadership(self) -> tuple[str, ...]:
        roles = {"chair", "vice_chair", "steering_chair"}
        return tuple(m.id for m in self.catalog.roster.members if roles & set(m.roles))

    def council_meetings(self) -> list[WeekRequest]:
        meetings = []
        for number, ((committee, title, purpose), day) in enumerate(
            zip(COUNCIL_MEETINGS, COUNCIL_DAYS, strict=True), start=1
        ):
            members = tuple(m.id for m in self.catalog.roster.members if committee in m.committees)
            self.members_of_meetings.append((day, members))
            slot = "afternoon" if number % 2 else "morning"
            venue = self.venue("seoul-council" if number % 3 else "city-hall-8f-meeting-room")
            meetings.append(
                WeekRequest(
                    f"cm-meeting-{number:02d}",
                    title,
                    purpose,
                    VisitCategory.COUNCIL_MEETING,
                    "administration",
                    venue,
                    60,
                    (self.window(day, slot),),
                    self.rng.choice((3, 4)),
                    False,
                    number == 1,
                    "대외협력과",
                    member_ids=members,
                )
            )
        return meetings

    def generic(self, day: int, number: int) -> WeekRequest:
        rng = self.rng
        kinds = [k for k in KINDS if day not in WEEKEND or k.category not in _WEEKDAY_ONLY]
        kind = rng.choice(kinds)
        district = self.district_cycle[number % len(self.district_cycle)]
        venue = self.fresh_venue(kind, district)
        slots = _slots_on(day, kind)
        windows = [self.window(day, rng.choice(slots))]
        if day not in WEEKEND and rng.random() < 0.3:
            other = rng.choice([d for d in (0, 1, 4) if d != day])
            windows.append(self.window(other, rng.choice(_slots_on(other, kind))))
        windows.sort()
        topic = self.topic(kind)
        names = {
            "district": venue.district,
            "venue": venue.name,
            "venue_eul": with_object_particle(venue.name),
            "topic": topic,
            "topic_eul": with_object_particle(topic),
        }
        return WeekRequest(
            f"wk-{number:03d}",
            kind.title.format(**names),
            kind.purpose.format(**names),
            kind.category,
            kind.policy_area.value,
            venue,
            rng.choice(kind.durations),
            tuple(windows),
            rng.choice(kind.priorities),
            kind.public,
            kind.important,
            kind.department,
        )

    def fresh_venue(self, kind: Kind, district: str) -> Venue:
        """A venue of `kind` in `district` no generic request has used yet, if there is one."""
        types = list(kind.venues)
        self.rng.shuffle(types)
        for venue_type in types:
            venue = self.fixed_venue(venue_type) or self.district_venue(
                district, KINDS.index(kind), venue_type
            )
            if venue.key not in self.used_venues or venue.key in _FIXED_VENUES.values():
                break
        self.used_venues.add(venue.key)
        return venue

    def topic(self, kind: Kind) -> str:
        """A topic for `kind`, one not used yet while there are any."""
        topics = kind.topics or TOPICS
        fresh = [t for t in topics if (kind, t) not in self.used_topics] or list(topics)
        choice = self.rng.choice(fresh)
        self.used_topics.add((kind, choice))
        return choice

    def fixed_venue(self, venue_type: str) -> Venue | None:
        key = _FIXED_VENUES.get(venue_type)
        return self.venue(key) if key else None

    def commitment(self, item: Special) -> WeekCommitment:
        day = self.day(item.day)
        ((start, end),) = item.windows
        return WeekCommitment(
            item.ref,
            item.title,
            item.purpose,
            item.policy_area,
            self.venue(item.venue),
            at(day, start),
            at(day, end),
            item.rrule,
            tuple(self.day(d) for d in item.exdays),
            item.covers_lunch,
            item.public,
            item.important,
            item.department,
        )

    def availability(self) -> dict[str, tuple[tuple[datetime, datetime], ...]]:
        """Weekday office hours of every member of a meeting, outside the plenary session.

        One member of the last (Friday) round-table is away on Friday morning (its only window), so that
        meeting cannot take place and the plan must say why.
        """
        absent_id = self.members_of_meetings[-1][1][0]
        free: dict[str, tuple[tuple[datetime, datetime], ...]] = {}
        for _, members in self.members_of_meetings:
            for member in members:
                periods = []
                for d in (0, 1, 2, 3, 4):
                    day = self.day(d)
                    blocks = (
                        (("08:00", "10:00"), ("17:00", "20:00"))
                        if d == PLENARY
                        else (("09:00", "12:00"), ("13:00", "18:30"))
                    )
                    for start, end in blocks:
                        if member == absent_id and d == 4 and start == "09:00":
                            continue
                        periods.append((at(day, start), at(day, end)))
                free[member] = tuple(periods)
        return free


_WEEKDAY_ONLY = {VisitCategory.PRESS, VisitCategory.INTERGOVERNMENTAL, VisitCategory.GROUNDBREAKING}
_FIXED_VENUES = {
    "시청 브리핑룸": "city-hall-briefing-room",
    "시청 다목적홀": "city-hall-multipurpose-hall",
    "방송사 스튜디오": "sangam-broadcast-studio",
    "정부서울청사": "government-complex-seoul",
}


def with_object_particle(word: str) -> str:
    """`word` with 을 after a final consonant, 를 after a vowel (Hangul syllables only)."""
    last = word.rstrip(")")[-1:]
    if "가" <= last <= "힣":
        return word + ("을" if (ord(last) - ord("가")) % 28 else "를")
    return word + "을(를)"


def _slots_on(day: int, kind: Kind) -> tuple[str, ...]:
    """Windows a request may have on a day: around the plenary and the trip, weekend hours."""
    if day in (PLENARY, TRIP):
        return ("early", "evening")
    if day in WEEKEND:
        return ("weekend_day",)
    return kind.slots
