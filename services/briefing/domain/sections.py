"""Compose the briefing document of one stop version from what the service knows.

Pure and deterministic: the same inputs give the same document. Items from reports cite
their sentence and carry only numbers that sentence has; items from the stop, members'
requests or earlier briefings say so in `origin`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from schemas.vocabulary import OUTSIDE_SEOUL, StopChangeKind
from services.briefing.domain.briefing_doc import (
    BriefingDocument,
    Item,
    PastVisit,
    Section,
    SectionKey,
    cite,
    safe_title,
    unverified_numbers,
)
from services.briefing.domain.council import CouncilMember
from services.briefing.domain.local_issues import expected_questions, local_issues
from services.briefing.domain.member_requests import MemberRequest
from services.briefing.domain.records import Document, Record, RecordKind, collapse
from services.briefing.domain.talking_points import (
    StopFacts,
    category_label,
    format_period,
    format_place,
    policy_area_label,
)
from services.briefing.domain.versions import changes_since

FROM_STOP = "일정 정보"
MESSAGE_KINDS = frozenset(
    {RecordKind.PROGRAMME, RecordKind.PLAN, RecordKind.PROJECT, RecordKind.EVENT}
)
MAX_MESSAGES = 4
MAX_FIGURE_RECORDS = 6
THEMES: dict[str, str] = {
    "vulnerable_groups": "약자와의 동행",
    "disaster_safety": "재난안전",
    "livelihood": "민생 현장시정",
    "groundbreaking": "도시 인프라·균형발전",
    "press": "시정 홍보",
    "council_meeting": "시의회와의 협치",
    "intergovernmental": "지역 상생 협력",
    "district_cooperation": "자치구 협력",
    "fixed_commitment": "국정 협력",
}
WITHDRAWN = "일정이 취소되어 이 브리핑은 철회되었습니다."


@dataclass(frozen=True)
class BriefingInputs:
    """Everything a briefing draws on besides the stop (records ranked best first)."""

    records: tuple[Record, ...]
    documents: Mapping[str, Document]
    knowledge_base_version: str
    today: date
    sensitive: tuple[Record, ...] = ()
    members: tuple[CouncilMember, ...] = ()
    attendees: tuple[CouncilMember, ...] = ()  # the stop's named attendees found in the roster
    open_requests: tuple[MemberRequest, ...] = ()
    answered_requests: tuple[MemberRequest, ...] = ()
    past_visits: tuple[PastVisit, ...] = ()
    previous: StopFacts | None = None
    briefing_version: int = 1
    extra: Mapping[str, str] = field(default_factory=dict)


def compose_document(facts: StopFacts, inputs: BriefingInputs) -> BriefingDocument:
    """The six sections for one stop version (a cancelled stop's briefing is withdrawn)."""
    withdrawn = facts.change is StopChangeKind.CANCELLED
    changes = changes_since(inputs.previous, facts) if inputs.previous else ()
    if withdrawn:
        sections = (
            Section(SectionKey.OVERVIEW, _overview(facts, inputs)),
            *(Section(key, (), WITHDRAWN) for key in list(SectionKey)[1:]),
        )
    else:
        sections = (
            Section(SectionKey.OVERVIEW, _overview(facts, inputs)),
            _messages(facts, inputs),
            _figures(facts, inputs),
            local_issues(facts, inputs.open_requests, inputs.answered_requests, inputs.past_visits),
            expected_questions(facts, inputs.open_requests, inputs.records, inputs.documents),
            _cautions(facts, inputs),
        )
    return BriefingDocument(
        stop_id=facts.stop_id,
        stop_version=facts.version,
        briefing_version=inputs.briefing_version,
        title=facts.title,
        district=facts.district,
        starts_at=facts.starts_at,
        summary=_summary(facts, withdrawn),
        withdrawn=withdrawn,
        changes_since_last=changes,
        sections=sections,
        knowledge_base_version=inputs.knowledge_base_version,
    )


def _overview(facts: StopFacts, inputs: BriefingInputs) -> tuple[Item, ...]:
    area = policy_area_label(facts.policy_area)
    kind = category_label(facts.category) + (f" · {area} 분야" if area else "")
    items = [
        Item(heading="일정", text=f"「{facts.title}」 ({kind})", origin=FROM_STOP),
        Item(heading="일시", text=format_period(facts.starts_at, facts.ends_at), origin=FROM_STOP),
        Item(heading="장소", text=format_place(facts), origin=FROM_STOP),
        Item(heading="방문 목적", text=facts.purpose, origin=FROM_STOP),
        Item(heading="참석", text=_attendees(facts, inputs), origin="일정 정보·의원 명단"),
    ]
    if facts.change is StopChangeKind.CANCELLED:
        items.append(Item(heading="취소", text=WITHDRAWN, origin=FROM_STOP))
    return tuple(items)


def _attendees(facts: StopFacts, inputs: BriefingInputs) -> str:
    """Who will be there: the members named to attend, the district's, the department."""
    parts = []
    if facts.attendee_ids:
        known = {m.id: m.label for m in inputs.attendees}
        named = (known.get(i, f"명단에 없는 의원({i})") for i in facts.attendee_ids)
        parts.append(f"참석 대상 시의원: {', '.join(named)}")
    if facts.district not in ("", OUTSIDE_SEOUL):
        members = inputs.members
        names = ", ".join(m.label for m in members) if members else "명단에 등록된 의원 없음"
        parts += [f"{facts.district} 지역 시의원: {names}", f"{facts.district}청장"]
    parts.append(f"{facts.requesting_department} 관계자")
    return "; ".join(parts)


def _theme(record: Record) -> str:
    words = " ".join((record.title, *record.programmes, *record.tags))
    if "저출생" in words or "난임" in words or "임산부" in words:
        return "저출생 대응"
    if record.category in THEMES:
        return THEMES[record.category]
    return policy_area_label(record.policy_area) or "시정 방향"


def _messages(facts: StopFacts, inputs: BriefingInputs) -> Section:
    chosen = [r for r in inputs.records if r.kind in MESSAGE_KINDS and not r.sensitive]
    items = tuple(
        Item(heading=_theme(r), text=safe_title(r), citation=cite(r, inputs.documents))
        for r in chosen[:MAX_MESSAGES]
    )
    if items:
        return Section(SectionKey.KEY_MESSAGES, items)
    return Section(
        SectionKey.KEY_MESSAGES,
        (),
        f"이 일정({category_label(facts.category)}, {facts.district})에 맞는 시 정책 기록이 "
        f"지식베이스(버전 {inputs.knowledge_base_version})에 없습니다.",
    )


def _figure_line(record: Record) -> str:
    parts = []
    for figure in record.figures:
        written_with_unit = any(not (c.isdigit() or c in ",.") for c in figure.text)
        value = figure.text if written_with_unit else f"{figure.text}{figure.unit}"
        label = figure.label if not unverified_numbers(figure.label, record.sentence) else ""
        parts.append(f"{label} {value}".strip())
    return " · ".join(parts)


def _figures(facts: StopFacts, inputs: BriefingInputs) -> Section:
    items = []
    for record in inputs.records:
        if not record.figures or record.sensitive:
            continue
        item = Item(
            heading=safe_title(record),
            text=_figure_line(record),
            citation=cite(record, inputs.documents),
        )
        if not unverified_numbers(f"{item.heading} {item.text}", record.sentence):
            items.append(item)
        if len(items) == MAX_FIGURE_RECORDS:
            break
    if items:
        return Section(SectionKey.FACTS_AND_FIGURES, tuple(items))
    return Section(
        SectionKey.FACTS_AND_FIGURES,
        (),
        "이 장소·지역·분야에 대해 보고서에 출처가 있는 수치가 없습니다 "
        "(출처 없는 수치는 싣지 않습니다).",
    )


def _cautions(facts: StopFacts, inputs: BriefingInputs) -> Section:
    items = [
        Item(
            heading=f"민감: {safe_title(r)}",
            text=collapse(r.sentence),
            citation=cite(r, inputs.documents),
        )
        for r in inputs.sensitive
    ]
    if not facts.public:
        items.append(
            Item(
                heading="비공개 일정",
                text="방문 장소·시간을 사전에 공개하지 않습니다.",
                origin=FROM_STOP,
            )
        )
    if facts.important:
        items.append(
            Item(
                heading="중요 행사",
                text="시의회 지도부를 초청하고 행사 내용을 사전에 설명합니다.",
                origin=FROM_STOP,
            )
        )
    if facts.change is StopChangeKind.RESCHEDULED:
        items.append(
            Item(
                heading="일정 변경",
                text="변경 전 일정을 안내받은 분들께 변경 사실을 알립니다.",
                origin=FROM_STOP,
            )
        )
    overdue = [r for r in inputs.open_requests if r.overdue(inputs.today)]
    if overdue:
        items.append(
            Item(
                heading="기한 경과 건의",
                text=f"처리 기한이 지난 건의사항 {len(overdue)}건이 있습니다.",
                origin="건의사항 기록",
            )
        )
    if items:
        return Section(SectionKey.CAUTIONS, tuple(items))
    return Section(
        SectionKey.CAUTIONS,
        (),
        "공개 일정이며, 민감 기록(사고·분쟁·엠바고)으로 표시된 관련 자료와 기한이 지난 건의사항이 없습니다.",
    )


def _summary(facts: StopFacts, withdrawn: bool) -> str:
    when_where = f"{format_period(facts.starts_at, facts.ends_at)}, {format_place(facts)}"
    if withdrawn:
        return f"「{facts.title}」({when_where}) 일정이 취소되어 브리핑을 철회합니다."
    changed = "변경된 " if facts.change is StopChangeKind.RESCHEDULED else ""
    kind = category_label(facts.category).removesuffix(" 일정")
    return f"{when_where}에서 열리는 {changed}{kind} 일정 「{facts.title}」의 브리핑입니다."
