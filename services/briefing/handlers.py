"""The briefing service's use cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY
from schemas.scheduler import ItineraryConfirmed, StopChange
from schemas.vocabulary import SEOUL
from services.briefing.adapters.events import (
    briefed_stop,
    cancellation_reason,
    point_event,
    stop_facts,
)
from services.briefing.domain.briefing_doc import BriefingDocument
from services.briefing.domain.council import CouncilDirectory
from services.briefing.domain.record_ranking import rank_records, sensitive_for
from services.briefing.domain.records import KnowledgeRecords
from services.briefing.domain.sections import BriefingInputs, compose_document
from services.briefing.domain.talking_points import StopFacts, StoredBriefing, talking_points_from
from services.briefing.ports import BriefingUnitOfWork, RecordSource
from services.common.errors import NotFound

PRODUCER = "briefing"


FREE_TEXT_HITS = 12


@dataclass(frozen=True)
class BriefingSources:
    """What a briefing draws on besides the service's own tables."""

    records: RecordSource
    council: CouncilDirectory


def when_itinerary_confirmed_build_briefings(
    uow: BriefingUnitOfWork,
    envelope: Envelope[Any],
    *,
    now: datetime,
    records: RecordSource | None = None,
    council: CouncilDirectory | None = None,
) -> int:
    """One briefing per changed stop version, each announced with `briefing.ready`.

    `briefing.ready` continues the confirmation's correlation, caused by its event; its
    talking points and knowledge-base version come from the stop's briefing document.
    """
    event: ItineraryConfirmed = envelope.payload
    built = 0
    source = records or EmptyRecords()
    sources = BriefingSources(source, council or CouncilDirectory())
    snapshot = sources.records.snapshot()
    with uow:
        if uow.already_handled(envelope.id):
            return 0
        for change in event.changes:
            if uow.repo.exists(change.stop.stop_id, change.stop.version):
                continue
            payload = _brief(uow, change, sources, snapshot, now)
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
    uow: BriefingUnitOfWork,
    change: StopChange,
    sources: BriefingSources,
    snapshot: KnowledgeRecords,
    now: datetime,
) -> BriefingReady:
    """Build and store the briefing of one changed stop; return what announces it."""
    stop = briefed_stop(change.stop)
    facts = stop_facts(change.change, stop)
    previous = stop_facts(change.change, briefed_stop(change.previous)) if change.previous else None
    document = compose_briefing_document(uow, facts, previous, sources, snapshot, now)
    briefing = talking_points_from(document)
    stored = StoredBriefing(
        id=f"br-{uuid.uuid4().hex[:12]}",
        briefing=briefing,
        change=change.change,
        title=stop.title,
        created_at=now,
        document=document,
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
        briefing_version=document.briefing_version,
        withdrawn=document.withdrawn,
        cancellation_reason=cancellation_reason(change),
        changes_since_last=list(document.changes_since_last),
    )


def compose_briefing_document(
    uow: BriefingUnitOfWork,
    facts: StopFacts,
    previous: StopFacts | None,
    sources: BriefingSources,
    snapshot: KnowledgeRecords,
    now: datetime,
) -> BriefingDocument:
    """Gather the district's requests, earlier visits and the fitting records; compose."""
    query = " ".join((facts.title, facts.purpose, facts.place_name))
    hits = sources.records.free_text(query, FREE_TEXT_HITS, district=facts.district)
    requests = uow.requests.find(district=facts.district)
    answered = [r for r in requests if not r.is_open]
    answered.sort(key=lambda r: (r.updated_at, r.id), reverse=True)
    inputs = BriefingInputs(
        records=tuple(rank_records(snapshot.records, facts, boost=hits)),
        documents=snapshot.documents,
        knowledge_base_version=snapshot.version,
        today=now.astimezone(SEOUL).date(),
        sensitive=tuple(sensitive_for(snapshot.records, facts)),
        members=tuple(sources.council.in_district(facts.district)),
        attendees=tuple(m for i in facts.attendee_ids if (m := sources.council.get(i))),
        open_requests=tuple(r for r in requests if r.is_open),
        answered_requests=tuple(answered),
        past_visits=tuple(
            uow.repo.past_visits(facts.district, facts.starts_at, exclude_stop=facts.stop_id)
        ),
        previous=previous,
        briefing_version=len(uow.repo.for_stop(facts.stop_id)) + 1,
    )
    return compose_document(facts, inputs)


class EmptyRecords:
    """No knowledge records (a service or test without any): sections say why they are empty."""

    def snapshot(self) -> KnowledgeRecords:
        return KnowledgeRecords(records=(), documents={}, version="kb-0")

    def free_text(self, query: str, limit: int, *, district: str | None) -> list[str]:
        return []


def briefings_for_stop(uow: BriefingUnitOfWork, stop_id: str) -> list[StoredBriefing]:
    """Every version's briefing for a stop, newest first."""
    with uow:
        stored = uow.repo.for_stop(stop_id)
    if not stored:
        raise NotFound("브리핑", stop_id)
    return stored


def latest_document(uow: BriefingUnitOfWork, stop_id: str) -> BriefingDocument:
    """The newest briefing document of a stop (withdrawn ones included, marked so)."""
    for stored in briefings_for_stop(uow, stop_id):
        if stored.document is not None:
            return stored.document
    raise NotFound("브리핑 문서", stop_id)


def day_documents(uow: BriefingUnitOfWork, day: date) -> list[BriefingDocument]:
    """The newest document of every stop starting on a Seoul day, in time order."""
    start = datetime.combine(day, time(0), tzinfo=SEOUL)
    with uow:
        stored = uow.repo.for_period(start, start + timedelta(days=1))
    return [s.document for s in stored if s.document is not None]
