"""Load the packaged sample (a fictional roster and a week of requests) through the handlers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from schemas.vocabulary import SEOUL
from services.notifier import handlers as notifier_handlers
from services.notifier.bootstrap import Notifier
from services.notifier.domain.recipients import CouncilMember
from services.sample_data.catalog import (
    Catalog,
    CouncilRoster,
    Place,
    load_catalog,
    materialise_week,
)
from services.sample_data.full_week import sample_week
from services.sample_data.week_items import SampleWeek, Venue
from services.scheduler import handlers as scheduler_handlers
from services.scheduler import members
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import CreateCommitment, CreateVisitRequest, PlaceIn, WindowIn
from services.scheduler.members import ReplaceAvailability


def next_monday(today: date) -> date:
    """The sample week always lies ahead, so every notice is an advance notice."""
    return today + timedelta(days=7 - today.weekday())


def sample_commands(
    catalog: Catalog, monday: date
) -> tuple[list[CreateCommitment], list[CreateVisitRequest]]:
    """The sample week as the commands a scheduler would send (commitments, requests)."""
    requests, commitments = materialise_week(catalog, monday)
    commitment_commands = [
        CreateCommitment(
            title=c.title,
            purpose=c.purpose,
            category=c.category,
            policy_area=c.policy_area,
            place=_place_in(catalog.place(c.place_key)),
            starts_at=c.start,
            ends_at=c.end,
            public=c.public,
            important=c.important,
            requesting_department=c.requesting_department,
            recurrence=c.recurrence or "none",
        )
        for c in commitments
    ]
    request_commands = [
        CreateVisitRequest(
            title=r.title,
            purpose=r.purpose,
            category=r.category,
            policy_area=r.policy_area,
            place=_place_in(catalog.place(r.place_key)),
            duration_minutes=r.duration_minutes,
            windows=[WindowIn(start=w.start, end=w.end) for w in r.windows],
            priority=r.priority,
            public=r.public,
            important=r.important,
            requesting_department=r.requesting_department,
        )
        for r in requests
    ]
    return commitment_commands, request_commands


def full_week_commands(
    week: SampleWeek, today: date
) -> tuple[list[CreateCommitment], list[CreateVisitRequest]]:
    """The realistic week (about 150 requests) as commands, validated as the API would.

    `today` is the validation's today (dates must lie within a year back, two ahead).
    """
    context = {"today": today}
    commitments = [
        CreateCommitment.model_validate(
            {
                "title": c.title,
                "purpose": c.purpose,
                "policy_area": c.policy_area,
                "place": _venue_in(c.venue),
                "starts_at": c.start,
                "ends_at": c.end,
                "public": c.public,
                "important": c.important,
                "requesting_department": c.department,
                "rrule": c.rrule,
                "exdates": list(c.exdates),
                "covers_lunch": c.covers_lunch,
            },
            context=context,
        )
        for c in week.commitments
    ]
    requests = [
        CreateVisitRequest.model_validate(
            {
                "title": r.title,
                "purpose": r.purpose,
                "category": r.category,
                "policy_area": r.policy_area,
                "place": _venue_in(r.venue),
                "duration_minutes": r.duration_minutes,
                "windows": [{"start": s, "end": e} for s, e in r.windows],
                "priority": r.priority,
                "public": r.public,
                "important": r.important,
                "requesting_department": r.department,
                "mandatory": r.mandatory,
                "member_ids": list(r.member_ids),
            },
            context=context,
        )
        for r in week.requests
    ]
    return commitments, requests


def full_week_availability(week: SampleWeek, today: date) -> dict[str, ReplaceAvailability]:
    """The round-table members' availability of the realistic week (the same windows as its
    problem file), as the commands the API takes."""
    return {
        member_id: ReplaceAvailability.model_validate(
            {"windows": [{"start": s, "end": e} for s, e in periods]}, context={"today": today}
        )
        for member_id, periods in sorted(week.availability.items())
    }


def load_full_week(scheduler: Scheduler, monday: date) -> int:
    """Add the realistic week (and its members' availability) through the handlers unless
    the scheduler has requests."""
    if scheduler_handlers.list_visit_requests(scheduler.uow()):
        return 0
    now = datetime.now(SEOUL)
    week = sample_week(monday)
    commitments, requests = full_week_commands(week, now.date())
    for commitment in commitments:
        scheduler_handlers.create_commitment(scheduler.uow(), commitment, now)
    for request in requests:
        scheduler_handlers.create_visit_request(scheduler.uow(), request, now)
    for member_id, availability in full_week_availability(week, now.date()).items():
        members.replace_availability(scheduler.uow(), member_id, availability, now)
    return len(requests)


def load_sample_requests(scheduler: Scheduler, monday: date, catalog: Catalog | None = None) -> int:
    """Add the sample week's requests and commitments unless the scheduler has requests."""
    if scheduler_handlers.list_visit_requests(scheduler.uow()):
        return 0
    commitments, requests = sample_commands(catalog or load_catalog(), monday)
    now = datetime.now(SEOUL)
    for commitment in commitments:
        scheduler_handlers.create_commitment(scheduler.uow(), commitment, now)
    for request in requests:
        scheduler_handlers.create_visit_request(scheduler.uow(), request, now)
    return len(requests)


def load_sample_roster(notifier: Notifier, catalog: Catalog | None = None) -> int:
    catalog = catalog or load_catalog()
    return load_roster(notifier, catalog.roster)


def load_roster(notifier: Notifier, roster: CouncilRoster) -> int:
    """Load a roster file's members (with their feed tokens) into the notifier."""
    members = [
        CouncilMember(
            id=m.id,
            name=m.name,
            email=m.email,
            district=m.district,
            committees=frozenset(m.committees),
            roles=frozenset(m.roles),
            caucus=m.caucus,
        )
        for m in roster.members
    ]
    return notifier_handlers.load_roster(notifier.uow(), members, datetime.now(SEOUL))


def _venue_in(venue: Venue) -> dict[str, object]:
    return {
        "name": venue.name,
        "district": venue.district,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
    }


def _place_in(place: Place) -> PlaceIn:
    return PlaceIn(
        name=place.name, district=place.district, latitude=place.latitude, longitude=place.longitude
    )
