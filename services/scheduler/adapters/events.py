"""Domain stops to the published contract (schemas.scheduler)."""

from __future__ import annotations

from schemas.scheduler import StopChange as StopChangeEvent
from schemas.scheduler import StopSnapshot
from schemas.vocabulary import StopChangeKind
from services.scheduler.domain.itinerary import Stop, StopChange


def snapshot(stop: Stop) -> StopSnapshot:
    """The one mapping from a domain stop to its published shape."""
    return StopSnapshot(
        stop_id=stop.stop_id,
        version=stop.version,
        kind=stop.kind,
        title=stop.title,
        purpose=stop.purpose,
        category=stop.category,
        policy_area=stop.policy_area,
        place_name=stop.place.name,
        district=stop.place.district,
        latitude=stop.place.latitude,
        longitude=stop.place.longitude,
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        public=stop.public,
        important=stop.important,
        requesting_department=stop.requesting_department,
        attendee_ids=list(stop.attendee_ids),
    )


def change_event(change: StopChange) -> StopChangeEvent:
    """A domain stop change as published in `itinerary.confirmed`."""
    return StopChangeEvent(
        change=change.change,
        stop=snapshot(change.stop),
        previous=snapshot(change.previous) if change.previous else None,
        reason=change.reason if change.change == StopChangeKind.CANCELLED else None,
    )
