"""Load the packaged sample (a fictional roster and a week of requests) through the handlers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
from services.scheduler import handlers as scheduler_handlers
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import CreateCommitment, CreateVisitRequest, PlaceIn, WindowIn

SEOUL = ZoneInfo("Asia/Seoul")


def next_monday(today: date) -> date:
    """The sample week always lies ahead, so every notice is an advance notice."""
    return today + timedelta(days=7 - today.weekday())


def load_sample_requests(scheduler: Scheduler, monday: date, catalog: Catalog | None = None) -> int:
    """Add the sample week's requests and commitments unless the scheduler has requests."""
    catalog = catalog or load_catalog()
    if scheduler_handlers.list_visit_requests(scheduler.uow()):
        return 0
    requests, commitments = materialise_week(catalog, monday)
    now = datetime.now(SEOUL)
    for commitment in commitments:
        place = catalog.place(commitment.place_key)
        scheduler_handlers.create_commitment(
            scheduler.uow(),
            CreateCommitment(
                title=commitment.title,
                purpose=commitment.purpose,
                category=commitment.category,
                policy_area=commitment.policy_area,
                place=_place_in(place),
                starts_at=commitment.start,
                ends_at=commitment.end,
                public=commitment.public,
                important=commitment.important,
                requesting_department=commitment.requesting_department,
                recurrence=commitment.recurrence or "none",
            ),
            now,
        )
    for request in requests:
        place = catalog.place(request.place_key)
        scheduler_handlers.create_visit_request(
            scheduler.uow(),
            CreateVisitRequest(
                title=request.title,
                purpose=request.purpose,
                category=request.category,
                policy_area=request.policy_area,
                place=_place_in(place),
                duration_minutes=request.duration_minutes,
                windows=[WindowIn(start=w.start, end=w.end) for w in request.windows],
                priority=request.priority,
                public=request.public,
                important=request.important,
                requesting_department=request.requesting_department,
            ),
            now,
        )
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


def _place_in(place: Place) -> PlaceIn:
    return PlaceIn(
        name=place.name, district=place.district, latitude=place.latitude, longitude=place.longitude
    )
