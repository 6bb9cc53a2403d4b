"""Talking points for one stop version, taken from its briefing document.

Pure domain: `talking_points_from(document)` keeps the stop's purpose (uncited, said so in its
heading) and the cited lines of 핵심 메시지 and 현황 및 수치, so `briefing.ready` and the
document draw on one knowledge base (the record store, version `kb-<n>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL, StopChangeKind
from services.briefing.domain.briefing_doc import BriefingDocument, Citation, SectionKey
from services.briefing.domain.labels import CATEGORY_LABELS, POLICY_AREA_LABELS

WEEKDAYS = "월화수목금토일"

FROM_STOP = "(일정 정보)"
"""Heading suffix of points taken from the stop itself rather than from a report."""
CITED_SECTIONS = (SectionKey.KEY_MESSAGES, SectionKey.FACTS_AND_FIGURES)
"""The document's sections whose cited lines become talking points, in reading order."""


@dataclass(frozen=True)
class StopFacts:
    """What the briefing needs to know of one version of one stop (datetimes tz-aware)."""

    stop_id: str
    version: int
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place_name: str
    district: str
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    requesting_department: str
    change: StopChangeKind
    attendee_ids: tuple[str, ...] = ()  # council members named to attend, by id

    def __post_init__(self) -> None:
        if self.change not in StopChangeKind.__members__.values():
            expected = ", ".join(StopChangeKind)
            raise ValueError(f"unknown change {self.change!r}; expected one of {expected}")
        object.__setattr__(self, "change", StopChangeKind(self.change))
        object.__setattr__(self, "attendee_ids", tuple(self.attendee_ids))
        for name in ("starts_at", "ends_at"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class Source:
    """Where a point comes from: a report, its section, its date and the sentence, verbatim."""

    document_id: str
    document_title: str
    report_date: date
    section: str
    excerpt: str

    def __post_init__(self) -> None:
        if not self.excerpt.strip():
            raise ValueError(f"source {self.document_id!r} has an empty excerpt")


@dataclass(frozen=True)
class TalkingPoint:
    """One point; source is None only for points drawn from the stop itself."""

    heading: str
    text: str
    source: Source | None


@dataclass(frozen=True)
class Briefing:
    """Talking points for one version of one stop, and the knowledge base they came from."""

    stop_id: str
    stop_version: int
    summary: str
    talking_points: tuple[TalkingPoint, ...]
    knowledge_base_version: str


@dataclass(frozen=True)
class StoredBriefing:
    """A briefing as kept by the service: its id, the stop's title and change, when it was made,
    and the full document (None for briefings stored before documents existed)."""

    id: str
    briefing: Briefing
    change: StopChangeKind
    title: str
    created_at: datetime
    document: BriefingDocument | None = None


def category_label(code: str) -> str:
    """The stop category in Korean (the code itself if unknown)."""
    return CATEGORY_LABELS.get(code, code)


def policy_area_label(code: str | None) -> str | None:
    """The policy area in Korean, or None."""
    return None if code is None else POLICY_AREA_LABELS.get(code, code)


def format_day(moment: datetime) -> str:
    """'2026년 12월 1일(화)' on Seoul's calendar."""
    local = moment.astimezone(SEOUL)
    return f"{local.year}년 {local.month}월 {local.day}일({WEEKDAYS[local.weekday()]})"


def format_period(starts_at: datetime, ends_at: datetime) -> str:
    """'2026년 12월 1일(화) 14:00–15:00' in Seoul time, whatever the inputs' zone."""
    start, end = starts_at.astimezone(SEOUL), ends_at.astimezone(SEOUL)
    if start.date() == end.date():
        return f"{format_day(start)} {start:%H:%M}–{end:%H:%M}"
    return f"{format_day(start)} {start:%H:%M} – {format_day(end)} {end:%H:%M}"


def format_place(facts: StopFacts) -> str:
    """'노원구 월계역 환승주차장': the district first unless the place already names it."""
    if facts.district in ("", OUTSIDE_SEOUL) or facts.place_name.startswith(facts.district):
        return facts.place_name
    return f"{facts.district} {facts.place_name}"


def talking_points_from(document: BriefingDocument) -> Briefing:
    """The stop's purpose, then the cited lines of 핵심 메시지 and 현황 및 수치.

    A withdrawn document adds its cancellation line and has no cited lines. A citation
    without a report date (its report unknown to the snapshot) takes the stop's Seoul day.
    """
    points = [
        TalkingPoint(
            heading=f"방문 목적 {FROM_STOP}", text=document.overview_text("방문 목적"), source=None
        )
    ]
    if document.withdrawn:
        cancelled = document.overview_text("취소")
        points.append(TalkingPoint(heading=f"일정 취소 {FROM_STOP}", text=cancelled, source=None))
    fallback = document.starts_at.astimezone(SEOUL).date()
    points += [
        TalkingPoint(heading=item.heading, text=item.text, source=_source(item.citation, fallback))
        for key in CITED_SECTIONS
        for item in document.section(key).items
        if item.citation is not None
    ]
    return Briefing(
        stop_id=document.stop_id,
        stop_version=document.stop_version,
        summary=document.summary,
        talking_points=tuple(points),
        knowledge_base_version=document.knowledge_base_version,
    )


def _source(citation: Citation, fallback: date) -> Source:
    return Source(
        document_id=citation.document_id,
        document_title=citation.document_title,
        report_date=citation.report_date or fallback,
        section=citation.section,
        excerpt=citation.sentence,
    )
