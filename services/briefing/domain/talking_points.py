"""Talking points for one scheduled stop: what the stop is, and what the reports say about it.

Pure domain: takes the stop's facts and the knowledge base, returns a Briefing. Every point
drawn from the knowledge base cites its source; points drawn from the stop itself say so in
their heading and carry no source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL, StopChangeKind
from services.briefing.domain.knowledge import (
    CATEGORY_LABELS,
    POLICY_AREA_LABELS,
    KnowledgeBase,
    KnowledgeEntry,
    Source,
)

if TYPE_CHECKING:
    from services.briefing.domain.briefing_doc import BriefingDocument

WEEKDAYS = "월화수목금토일"
MAX_RELATED = 3

PRESS_NOTICE_RULE_ID = "council-press-advance-notice-2022"
"""Report 002: before a press announcement, the standing committee and leadership are briefed."""
IMPORTANT_EVENT_RULE_ID = "council-important-event-advance-notice-2022"
"""Report 002: for important events, the council leadership is invited and briefed in advance."""

FROM_STOP = "(일정 정보)"
"""Heading suffix of points taken from the stop itself rather than from a report."""
CANCELLED_SUMMARY = "일정 취소"
LEADERSHIP = "시의회 지도부(의장, 부의장 2명, 운영위원장, 교섭단체 대표의원)"


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

    def __post_init__(self) -> None:
        if self.change not in StopChangeKind.__members__.values():
            expected = ", ".join(StopChangeKind)
            raise ValueError(f"unknown change {self.change!r}; expected one of {expected}")
        object.__setattr__(self, "change", StopChangeKind(self.change))
        for name in ("starts_at", "ends_at"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")


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


def build_briefing(facts: StopFacts, kb: KnowledgeBase) -> Briefing:
    """Talking points for a stop; a cancelled stop gets a one-line briefing and no facts."""
    when_where = f"{format_period(facts.starts_at, facts.ends_at)}, {format_place(facts)}"
    if facts.change is StopChangeKind.CANCELLED:
        point = TalkingPoint(
            heading=f"일정 취소 {FROM_STOP}",
            text=f"「{facts.title}」({when_where}) 일정이 취소되었습니다.",
            source=None,
        )
        return _briefing(facts, kb, CANCELLED_SUMMARY, (point,))

    points = [
        TalkingPoint(heading=f"방문 목적 {FROM_STOP}", text=facts.purpose, source=None),
        TalkingPoint(heading=f"일시·장소 {FROM_STOP}", text=when_where, source=None),
    ]
    notice = _advance_notice_point(facts, kb)
    cited = {notice[0].id} if notice else set()
    related = [e for e in kb.related(facts, limit=MAX_RELATED + len(cited)) if e.id not in cited]
    points += [_fact_point(entry) for entry in related[:MAX_RELATED]]
    if notice:
        points.append(notice[1])
    if facts.change is StopChangeKind.RESCHEDULED:
        points.append(
            TalkingPoint(
                heading=f"일정 변경 {FROM_STOP}",
                text=f"확정되었던 일정이 변경되었습니다. 변경된 일시·장소는 {when_where}입니다.",
                source=None,
            )
        )
    return _briefing(facts, kb, _summary(facts, when_where), tuple(points))


def _briefing(
    facts: StopFacts, kb: KnowledgeBase, summary: str, points: tuple[TalkingPoint, ...]
) -> Briefing:
    return Briefing(
        stop_id=facts.stop_id,
        stop_version=facts.version,
        summary=summary,
        talking_points=points,
        knowledge_base_version=kb.version,
    )


def _summary(facts: StopFacts, when_where: str) -> str:
    area = policy_area_label(facts.policy_area)
    kind = category_label(facts.category) + (f"({area} 분야)" if area else "")
    changed = "변경된 " if facts.change is StopChangeKind.RESCHEDULED else ""
    return f"{when_where}에서 열리는 {changed}{kind} 일정 「{facts.title}」의 브리핑입니다."


def _fact_point(entry: KnowledgeEntry) -> TalkingPoint:
    return TalkingPoint(heading=f"관련 현황: {entry.title}", text=entry.text, source=entry.source)


def _advance_notice_point(
    facts: StopFacts, kb: KnowledgeBase
) -> tuple[KnowledgeEntry, TalkingPoint] | None:
    """For press and important stops: remind that the council was briefed beforehand."""
    if facts.category == "press":
        rule = kb.get(PRESS_NOTICE_RULE_ID)
        area = policy_area_label(facts.policy_area)
        committee = f"소관 상임위원회({area} 분야)" if area else "소관 상임위원회"
        text = (
            f"언론 발표에 앞서 {committee}와 {LEADERSHIP}에 "
            "사업 취지와 발표 내용을 사전에 설명하고 공유했습니다."
        )
    elif facts.important:
        rule = kb.get(IMPORTANT_EVENT_RULE_ID)
        text = f"중요 행사이므로 {LEADERSHIP}를 함께 초청하고 행사 내용을 사전에 설명했습니다."
    else:
        return None
    if rule is None:
        return None
    return rule, TalkingPoint(heading="시의회 사전 설명", text=text, source=rule.source)
