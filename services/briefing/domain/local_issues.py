"""지역 현안 and 예상 질의: the district's members' requests, the mayor's earlier visits there,
and the questions to expect with short suggested answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemas.vocabulary import OUTSIDE_SEOUL
from services.briefing.domain.briefing_doc import (
    Item,
    PastVisit,
    Section,
    SectionKey,
    cite,
    safe_title,
)
from services.briefing.domain.member_requests import KIND_LABELS, STATUS_LABELS, MemberRequest
from services.briefing.domain.records import Document, Record, RecordKind, collapse
from services.briefing.domain.talking_points import StopFacts, format_day

MAX_ANSWERED = 3
MAX_VISITS = 3
MAX_QUESTIONS = 5
REQUEST_QUESTIONS = 2
QUESTION_KINDS = frozenset({RecordKind.PROGRAMME, RecordKind.PROJECT, RecordKind.PLAN})


def request_line(request: MemberRequest) -> str:
    """'[처리 중] 성빛나 의원 건의사항: …'."""
    kind = KIND_LABELS[request.kind]
    return f"[{STATUS_LABELS[request.status]}] {request.member_name} 의원 {kind}: {request.text}"


def request_origin(request: MemberRequest, overdue: bool = False) -> str:
    where = request.session or f"일정 {request.stop_id}"
    due = f", 기한 {request.due_date.isoformat()}" if request.due_date else ""
    late = " (기한 경과)" if overdue else ""
    return f"건의사항 {request.id} · {where} · 소관 {request.department or '미지정'}{due}{late}"


def local_issues(
    facts: StopFacts,
    open_requests: Sequence[MemberRequest],
    answered: Sequence[MemberRequest],
    visits: Sequence[PastVisit],
) -> Section:
    """The district's open requests, recent answers and the mayor's earlier visits."""
    if facts.district in ("", OUTSIDE_SEOUL):
        return Section(SectionKey.LOCAL_ISSUES, (), "서울 밖 일정이라 자치구 현안이 없습니다.")
    items = [
        Item(heading="미처리 건의", text=request_line(r), origin=request_origin(r))
        for r in open_requests
    ]
    items += [
        Item(
            heading="최근 조치 결과",
            text=f"{request_line(r)} → {r.action_taken}",
            origin=request_origin(r),
        )
        for r in answered[:MAX_ANSWERED]
    ]
    items += [
        Item(
            heading="이전 시장 방문",
            text=f"{format_day(v.starts_at)} 「{v.title}」: {v.purpose}",
            origin=f"이전 브리핑 {v.stop_id}",
        )
        for v in visits[:MAX_VISITS]
    ]
    if items:
        return Section(SectionKey.LOCAL_ISSUES, tuple(items))
    return Section(
        SectionKey.LOCAL_ISSUES,
        (),
        f"{facts.district} 의원의 건의사항 기록과 이 지역 이전 시장 방문 브리핑이 없습니다.",
    )


def expected_questions(
    facts: StopFacts,
    open_requests: Sequence[MemberRequest],
    records: Sequence[Record],
    documents: Mapping[str, Document],
) -> Section:
    """Likely questions: the district's open requests first, then the programmes involved."""
    items = [
        Item(
            heading="의원 건의 관련",
            text=f"{r.member_name} 의원이 제기한 「{r.text}」은(는) 어떻게 되고 있습니까?",
            answer=_request_answer(r),
            origin=request_origin(r),
        )
        for r in open_requests[:REQUEST_QUESTIONS]
    ]
    for record in records:
        if len(items) >= MAX_QUESTIONS:
            break
        if record.sensitive or record.kind not in QUESTION_KINDS:
            continue
        items.append(
            Item(
                heading="추진 현황",
                text=f"「{safe_title(record)}」은(는) 어떻게 추진되고 있습니까?",
                answer=collapse(record.sentence),
                citation=cite(record, documents),
            )
        )
    if items:
        return Section(SectionKey.EXPECTED_QUESTIONS, tuple(items))
    return Section(
        SectionKey.EXPECTED_QUESTIONS,
        (),
        "이 일정과 관련된 미처리 건의사항이나 지식베이스의 사업 기록이 없어 예상 질의를 "
        "만들지 않았습니다.",
    )


def _request_answer(request: MemberRequest) -> str:
    department = request.department or "소관부서 지정 전"
    answer = f"{department}에서 '{STATUS_LABELS[request.status]}' 단계입니다."
    note = request.history[-1].note if request.history else ""
    return f"{answer} 최근 경과: {note}" if note else answer
