"""The contracts' stops and talking points to the briefing's domain objects and back.

One mapping per shape: fields are matched by name, so a field added to both sides is
carried without another hand-written copy.
"""

from __future__ import annotations

from dataclasses import fields

from schemas.briefing import BriefedStop, Citation
from schemas.briefing import TalkingPoint as TalkingPointEvent
from schemas.scheduler import StopChange, StopSnapshot
from schemas.vocabulary import StopChangeKind
from services.briefing.domain.talking_points import StopFacts, TalkingPoint

_FACT_FIELDS = {f.name for f in fields(StopFacts)} - {"change"}


def briefed_stop(snapshot: StopSnapshot) -> BriefedStop:
    """The briefing's own snapshot of a scheduler stop (the fields its readers need)."""
    return BriefedStop.model_validate(snapshot, from_attributes=True)


def cancellation_reason(change: StopChange) -> str | None:
    """The scheduler's reason for a cancellation, passed on to whoever is told of it."""
    return change.reason if change.change == StopChangeKind.CANCELLED else None


def stop_facts(change: StopChangeKind, stop: BriefedStop) -> StopFacts:
    """What the domain needs to brief one version of a stop."""
    return StopFacts(change=change, **stop.model_dump(include=_FACT_FIELDS))


def point_event(point: TalkingPoint) -> TalkingPointEvent:
    """A domain talking point as the contract shows it, with its citation."""
    source = point.source
    return TalkingPointEvent(
        heading=point.heading,
        text=point.text,
        citation=Citation.model_validate(source, from_attributes=True) if source else None,
    )
