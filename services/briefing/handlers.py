"""The briefing service's use cases."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from schemas.briefing import BriefingReady, Citation
from schemas.briefing import TalkingPoint as TalkingPointEvent
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY
from schemas.scheduler import ItineraryConfirmed, StopChange
from services.briefing.domain.knowledge import KnowledgeBase
from services.briefing.domain.talking_points import StopFacts, TalkingPoint, build_briefing
from services.briefing.unit_of_work import BriefingUnitOfWork
from services.common.errors import NotFound

PRODUCER = "briefing"


def when_itinerary_confirmed_build_briefings(
    uow: BriefingUnitOfWork, envelope: Envelope[Any], *, knowledge: KnowledgeBase, now: datetime
) -> int:
    """One briefing per changed stop version, each announced with `briefing.ready`."""
    event: ItineraryConfirmed = envelope.payload
    built = 0
    with uow:
        if uow.already_handled(envelope.id):
            return 0
        for change in event.changes:
            stop = change.stop
            if uow.repo.exists(stop.stop_id, stop.version):
                continue
            briefing = build_briefing(_facts(change), knowledge)
            briefing_id = f"br-{uuid.uuid4().hex[:12]}"
            uow.repo.add(
                briefing_id, briefing, change=change.change.value, title=stop.title, now=now
            )
            payload = BriefingReady(
                briefing_id=briefing_id,
                stop_change=change,
                summary=briefing.summary,
                talking_points=[_point_event(p) for p in briefing.talking_points],
                knowledge_base_version=briefing.knowledge_base_version,
            )
            uow.publish(
                BRIEFING_READY,
                BRIEFING_READY.envelope(
                    payload,
                    producer=PRODUCER,
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.id,
                    occurred_at=now,
                ),
            )
            built += 1
        uow.remember(envelope)
        uow.commit()
    return built


def briefings_for_stop(uow: BriefingUnitOfWork, stop_id: str) -> list[dict[str, Any]]:
    """Every version's briefing for a stop, newest first."""
    with uow:
        rows = uow.repo.for_stop(stop_id)
    if not rows:
        raise NotFound("브리핑", stop_id)
    return [
        {
            "briefing_id": row.id,
            "stop_id": row.stop_id,
            "stop_version": row.stop_version,
            "change": row.change,
            "title": row.title,
            "summary": row.summary,
            "talking_points": [_point_event(p).model_dump(mode="json") for p in points],
            "knowledge_base_version": row.knowledge_base_version,
            "created_at": row.created_at,
        }
        for row, points in rows
    ]


def _facts(change: StopChange) -> StopFacts:
    stop = change.stop
    return StopFacts(
        stop_id=stop.stop_id,
        version=stop.version,
        title=stop.title,
        purpose=stop.purpose,
        category=stop.category.value,
        policy_area=stop.policy_area.value if stop.policy_area else None,
        place_name=stop.place_name,
        district=stop.district,
        starts_at=stop.starts_at,
        ends_at=stop.ends_at,
        public=stop.public,
        important=stop.important,
        requesting_department=stop.requesting_department,
        change=change.change.value,
    )


def _point_event(point: TalkingPoint) -> TalkingPointEvent:
    source = point.source
    return TalkingPointEvent(
        heading=point.heading,
        text=point.text,
        citation=Citation(
            document_id=source.document_id,
            document_title=source.document_title,
            report_date=source.report_date,
            section=source.section,
            excerpt=source.excerpt,
        )
        if source
        else None,
    )
