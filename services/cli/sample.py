"""Load the packaged sample (a fictional roster and a week of requests) through the handlers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.notifier import handlers as notifier_handlers
from services.notifier.bootstrap import Notifier
from services.notifier.domain.recipients import CouncilMember
from services.sample_data.catalog import Catalog, load_catalog, materialise_week
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
    for item in commitments:
        place = catalog.place(item.place_key)
        scheduler_handlers.create_commitment(
            scheduler.uow(),
            CreateCommitment(
                title=item.title,
                purpose=item.purpose,
                category=item.category,
                policy_area=item.policy_area,
                place=PlaceIn(
                    name=place.name,
                    district=place.district,
                    latitude=place.latitude,
                    longitude=place.longitude,
                ),
                starts_at=item.start,
                ends_at=item.end,
                public=item.public,
                important=item.important,
                requesting_department=item.requesting_department,
                recurrence=item.recurrence or "none",
            ),
            now,
        )
    for item in requests:
        place = catalog.place(item.place_key)
        scheduler_handlers.create_visit_request(
            scheduler.uow(),
            CreateVisitRequest(
                title=item.title,
                purpose=item.purpose,
                category=item.category,
                policy_area=item.policy_area,
                place=PlaceIn(
                    name=place.name,
                    district=place.district,
                    latitude=place.latitude,
                    longitude=place.longitude,
                ),
                duration_minutes=item.duration_minutes,
                windows=[WindowIn(start=w.start, end=w.end) for w in item.windows],
                priority=item.priority,
                public=item.public,
                important=item.important,
                requesting_department=item.requesting_department,
            ),
            now,
        )
    return len(requests)


def load_sample_roster(notifier: Notifier, catalog: Catalog | None = None) -> int:
    catalog = catalog or load_catalog()
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
        for m in catalog.roster.members
    ]
    return notifier_handlers.load_roster(notifier.uow(), members, datetime.now(SEOUL))
