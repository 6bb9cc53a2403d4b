"""The contract's stop snapshots and talking points into the notifier's views."""

from __future__ import annotations

from schemas.briefing import TalkingPoint
from schemas.scheduler import StopChange, StopSnapshot
from services.notifier.domain.stops import StopView, TalkingPointView


def stop_view(
    snapshot: StopSnapshot, change: str, previous: StopSnapshot | None = None
) -> StopView:
    return StopView(
        stop_id=snapshot.stop_id,
        version=snapshot.version,
        title=snapshot.title,
        purpose=snapshot.purpose,
        category=snapshot.category.value,
        policy_area=snapshot.policy_area.value if snapshot.policy_area else None,
        place_name=snapshot.place_name,
        district=snapshot.district,
        starts_at=snapshot.starts_at,
        ends_at=snapshot.ends_at,
        public=snapshot.public,
        important=snapshot.important,
        change=change,
        previous_starts_at=previous.starts_at if previous else None,
        previous_ends_at=previous.ends_at if previous else None,
    )


def change_views(change: StopChange) -> tuple[StopView, StopView | None]:
    """The stop now, and as previously confirmed (for whoever was told of it before)."""
    now = stop_view(change.stop, change.change.value, change.previous)
    before = stop_view(change.previous, "scheduled") if change.previous else None
    return now, before


def talking_point_view(point: TalkingPoint) -> TalkingPointView:
    citation = None
    if point.citation is not None:
        c = point.citation
        citation = f"{c.document_title}, {c.section}"
    return TalkingPointView(heading=point.heading, text=point.text, citation=citation)
