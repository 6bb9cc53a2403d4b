"""The realistic sample week as a planning-problem file (schemas/planning.py), for `dongseon plan`.

`week_problem.json` next to this module is this function's output for PROBLEM_MONDAY; a
test keeps it current (regenerate with `python -m services.sample_data.week_problem`).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from schemas.planning import (
    Commitment,
    CouncilMember,
    Day,
    Lunch,
    Place,
    PlanningProblem,
    Request,
    TimeRange,
)
from schemas.vocabulary import SEOUL
from services.sample_data.base import DATA_DIR
from services.sample_data.catalog import load_catalog
from services.sample_data.full_week import PLENARY, TRIP, WEEKEND, sample_week
from services.sample_data.week_items import SampleWeek, Venue
from services.sample_data.week_special import SPECIAL_VENUES

PROBLEM_MONDAY = date(2026, 12, 7)
PROBLEM_FILE = DATA_DIR / "week_problem.json"
RESIDENCE = "mayor-residence"


def week_problem(week: SampleWeek) -> PlanningProblem:
    """The week as one planning problem: 7 days from the residence, lunch, visit limits."""
    roster = {m.id: m.name for m in load_catalog().roster.members}
    venues: dict[str, Venue] = {r.venue.key: r.venue for r in week.requests}
    venues |= {c.venue.key: c.venue for c in week.commitments}
    residence = Venue(RESIDENCE, *SPECIAL_VENUES[RESIDENCE])
    venues[RESIDENCE] = residence
    return PlanningProblem(
        days=[_day(week.monday + timedelta(days=d), d) for d in range(7)],
        places=[_place(v) for v in sorted(venues.values(), key=lambda v: v.key)],
        members=[
            CouncilMember(
                id=member,
                name=roster[member],
                availability=[TimeRange(start=_local(s), end=_local(e)) for s, e in periods],
            )
            for member, periods in sorted(week.availability.items())
        ],
        commitments=[
            Commitment(
                id=c.ref,
                title=c.title,
                place_id=c.venue.key,
                start=_local(c.start),
                end=_local(c.end),
                rrule=c.rrule,
                exdates=[datetime.combine(d, _local(c.start).time()) for d in c.exdates],
                covers_lunch=c.covers_lunch,
            )
            for c in week.commitments
        ],
        requests=[
            Request(
                id=r.ref,
                title=r.title,
                place_id=r.venue.key,
                duration_minutes=r.duration_minutes,
                windows=[TimeRange(start=_local(s), end=_local(e)) for s, e in r.windows],
                priority=r.priority,
                mandatory=r.mandatory,
                category=r.category,
                public=r.public,
                department=r.department,
                member_ids=list(r.member_ids),
            )
            for r in week.requests
        ],
    )


def render(problem: PlanningProblem) -> str:
    body = problem.model_dump(mode="json", exclude_defaults=False)
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def write_week_problem() -> None:
    PROBLEM_FILE.write_text(render(week_problem(sample_week(PROBLEM_MONDAY))), encoding="utf-8")


def _day(day: date, index: int) -> Day:
    weekend = index in WEEKEND
    return Day(
        date=day,
        start=time(9, 0) if weekend else time(7, 30),
        end=time(18, 0) if weekend else time(20, 0),
        start_place_id=RESIDENCE,
        end_place_id=RESIDENCE,
        # The plenary and the luncheon cover lunch; the trip day eats where it is.
        lunch=Lunch(earliest_start=time(11, 30), latest_end=time(14, 0), duration_minutes=60),
        max_visits=4 if weekend else (2 if index in (PLENARY, TRIP) else 6),
        buffer_minutes=5,
    )


def _place(venue: Venue) -> Place:
    outside = venue.region != "서울"
    return Place(
        id=venue.key,
        name=venue.name,
        district=venue.region if outside else venue.district,
        lat=venue.latitude,
        lon=venue.longitude,
        region=venue.region,
    )


def _local(moment: datetime) -> datetime:
    return moment.astimezone(SEOUL).replace(tzinfo=None)


if __name__ == "__main__":
    write_week_problem()
