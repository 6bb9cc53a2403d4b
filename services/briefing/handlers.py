"""The briefing service's use cases."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY
from schemas.scheduler import ItineraryConfirmed, StopChange
from services.briefing.adapters.events import briefed_stop, point_event, stop_facts
from services.briefing.domain.knowledge import KnowledgeBase
from services.briefing.domain.talking_points import StoredBriefing, build_briefing
from services.briefing.ports import BriefingUnitOfWork
from services.common.errors import NotFound

PRODUCER = "briefing"


def when_itinerary_confirmed_build_briefings(
    uow: BriefingUnitOfWork, envelope: Envelope[Any], *, knowledge: KnowledgeBase, now: datetime
) -> int:
    """One briefing per changed stop version, each announced with `briefing.ready`.

    `briefing.ready` continues the confirmation's correlation, caused by its event.
    """
    event: ItineraryConfirmed = envelope.payload
    built = 0
    with uow:
        if uow.already_handled(envelope.id):
            return 0
        for change in event.changes:
            if uow.repo.exists(change.stop.stop_id, change.stop.version):
                continue
            payload = _brief(uow, change, knowledge, now)
            uow.publish(
                BRIEFING_READY,
                BRIEFING_READY.envelope(
                    payload,
                    producer=PRODUCER,
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.id,
                    occurred_at=now,
                    office_id=uow.office_id,
                ),
            )
            built += 1
        uow.remember(envelope)
        uow.commit()
    return built


def _brief(
    uow: BriefingUnitOfWork, change: StopChange, knowledge: KnowledgeBase, now: datetime
) -> BriefingReady:
    """Build and store the briefing of one changed stop; return what announces it."""
    stop = briefed_stop(change.stop)
    briefing = build_briefing(stop_facts(change.change, stop), knowledge)
    stored = StoredBriefing(
        id=f"br-{uuid.uuid4().hex[:12]}",
        briefing=briefing,
        change=change.change,
        title=stop.title,
        created_at=now,
    )
    uow.repo.add(stored)
    return BriefingReady(
        briefing_id=stored.id,
        change=change.change,
        stop=stop,
        previous=briefed_stop(change.previous) if change.previous else None,
        summary=briefing.summary,
        talking_points=[point_event(p) for p in briefing.talking_points],
        knowledge_base_version=briefing.knowledge_base_version,
    )


def briefings_for_stop(uow: BriefingUnitOfWork, stop_id: str) -> list[StoredBriefing]:
    """Every version's briefing for a stop, newest first."""
    with uow:
        stored = uow.repo.for_stop(stop_id)
    if not stored:
        raise NotFound("브리핑", stop_id)
    return stored
