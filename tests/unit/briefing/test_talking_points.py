"""Talking points come from the briefing document built from the record store: the stop's
purpose, then the cited lines of 핵심 메시지 and 현황 및 수치, each quoting its report verbatim."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from schemas.vocabulary import StopChangeKind
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.domain import talking_points
from services.briefing.domain.briefing_doc import (
    BriefingDocument,
    Section,
    SectionKey,
    unverified_numbers,
)
from services.briefing.domain.record_ranking import rank_records, sensitive_for
from services.briefing.domain.records import KnowledgeRecords, collapse
from services.briefing.domain.sections import BriefingInputs, compose_document
from services.briefing.domain.talking_points import (
    FROM_STOP,
    StopFacts,
    format_period,
    talking_points_from,
)
from services.briefing.sample_week import sample_stops

MONDAY = date(2026, 11, 30)
DOCUMENTS = {
    "000_940ed3c53537b80e": (date(2023, 4, 19), "서울시장 비서실 주요업무보고 (2023-04-19)"),
    "002_c52fe1ec9ad84633": (date(2022, 3, 31), "서울시장 비서실 주요업무보고 (2022-03-31)"),
}


@pytest.fixture(scope="module")
def snapshot() -> KnowledgeRecords:
    sets = load_record_sets()
    return KnowledgeRecords(
        records=tuple(r for s in sets for r in s.records),
        documents={s.document.id: s.document for s in sets},
        version="kb-7",
    )


@pytest.fixture(scope="module")
def seed_texts(shared_dir: Path) -> dict[str, str]:
    files = {doc: shared_dir / "seeds" / f"{doc}.txt" for doc in DOCUMENTS}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        pytest.fail(f"seed reports needed to check excerpts against are missing: {missing}")
    return {doc: collapse(path.read_text(encoding="utf-8")) for doc, path in files.items()}


def stop(**changes: object) -> StopFacts:
    """A plain scheduled groundbreaking in Nowon, 14:00–15:00 Seoul time given in UTC."""
    facts = StopFacts(
        stop_id="stop-1",
        version=3,
        title="노원구 특고압 송전선로 지중화사업 착공식",
        purpose="공사 착수를 격려하고 주민 의견을 듣는다",
        category="groundbreaking",
        policy_area="environment",
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=datetime(2026, 12, 1, 5, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
        public=True,
        important=False,
        requesting_department="기후환경본부",
        change=StopChangeKind.SCHEDULED,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def document(facts: StopFacts, snapshot: KnowledgeRecords) -> BriefingDocument:
    inputs = BriefingInputs(
        records=tuple(rank_records(snapshot.records, facts)),
        documents=snapshot.documents,
        knowledge_base_version=snapshot.version,
        today=date(2026, 11, 29),
        sensitive=tuple(sensitive_for(snapshot.records, facts)),
    )
    return compose_document(facts, inputs)


def test_purpose_first_then_the_cited_lines_of_messages_and_figures(
    snapshot: KnowledgeRecords,
) -> None:
    doc = document(stop(), snapshot)
    briefing = talking_points_from(doc)
    purpose, *cited = briefing.talking_points
    assert (purpose.heading, purpose.text, purpose.source) == (
        f"방문 목적 {FROM_STOP}",
        stop().purpose,
        None,
    )
    expected = [
        (item.heading, item.text, item.citation.sentence)
        for key in (SectionKey.KEY_MESSAGES, SectionKey.FACTS_AND_FIGURES)
        for item in doc.section(key).items
        if item.citation is not None
    ]
    assert expected, "the Nowon groundbreaking has cited messages and figures"
    assert [(p.heading, p.text, p.source.excerpt) for p in cited if p.source] == expected
    assert all(p.source is not None for p in cited)


def test_summary_and_version_are_the_documents(snapshot: KnowledgeRecords) -> None:
    doc = document(stop(), snapshot)
    briefing = talking_points_from(doc)
    assert (briefing.stop_id, briefing.stop_version) == ("stop-1", 3)
    assert briefing.summary == doc.summary
    assert briefing.knowledge_base_version == doc.knowledge_base_version == "kb-7"


def test_citations_name_document_title_date_and_section(snapshot: KnowledgeRecords) -> None:
    cited = [p.source for p in talking_points_from(document(stop(), snapshot)).talking_points]
    for source in filter(None, cited):
        report_date, title = DOCUMENTS[source.document_id]
        assert (source.report_date, source.document_title) == (report_date, title)
        assert source.section.strip()


def test_a_citation_without_a_report_date_takes_the_stops_seoul_day(
    snapshot: KnowledgeRecords,
) -> None:
    doc = document(stop(starts_at=datetime(2026, 11, 30, 23, 0, tzinfo=UTC)), snapshot)
    figures = doc.section(SectionKey.FACTS_AND_FIGURES)
    [first, *_] = [i for i in figures.items if i.citation]
    undated = replace(first, citation=replace(first.citation, report_date=None))  # type: ignore[type-var]
    only_undated = {
        SectionKey.KEY_MESSAGES: Section(SectionKey.KEY_MESSAGES, (), "시험용으로 비움"),
        SectionKey.FACTS_AND_FIGURES: Section(SectionKey.FACTS_AND_FIGURES, (undated,)),
    }
    doc = replace(doc, sections=tuple(only_undated.get(s.key, s) for s in doc.sections))
    [_, point] = talking_points_from(doc).talking_points
    assert point.source is not None and point.source.report_date == date(2026, 12, 1)


def test_a_withdrawn_briefing_says_so_and_cites_nothing(snapshot: KnowledgeRecords) -> None:
    briefing = talking_points_from(document(stop(change="cancelled"), snapshot))
    headings = [p.heading for p in briefing.talking_points]
    assert headings == [f"방문 목적 {FROM_STOP}", f"일정 취소 {FROM_STOP}"]
    assert "취소" in briefing.talking_points[1].text
    assert all(p.source is None for p in briefing.talking_points)
    assert "철회" in briefing.summary


def test_every_emitted_citation_of_the_sample_week_is_verbatim_from_its_report(
    snapshot: KnowledgeRecords, seed_texts: dict[str, str]
) -> None:
    """What `briefing.ready` carries: every excerpt is in its report, every number of a cited
    point is in its excerpt, and every stop gets cited points."""
    uncited, not_verbatim, unverified = [], [], []
    for facts in sample_stops(MONDAY):
        points = talking_points_from(document(facts, snapshot)).talking_points
        sources = [p for p in points if p.source is not None]
        if not sources:
            uncited.append(facts.stop_id)
        for point in sources:
            assert point.source is not None
            if collapse(point.source.excerpt) not in seed_texts[point.source.document_id]:
                not_verbatim.append((facts.stop_id, point.heading))
            if unverified_numbers(f"{point.heading} {point.text}", point.source.excerpt):
                unverified.append((facts.stop_id, point.heading))
    assert (uncited, not_verbatim, unverified) == ([], [], [])


def test_the_same_document_gives_the_same_points(snapshot: KnowledgeRecords) -> None:
    doc = document(stop(), snapshot)
    assert talking_points_from(doc) == talking_points_from(document(stop(), snapshot))


def test_utc_evening_is_the_next_morning_in_seoul() -> None:
    start = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert format_period(start, start + timedelta(hours=1)) == "2026년 12월 1일(화) 08:30–09:30"


def test_other_offsets_are_converted_too() -> None:
    new_york = timezone(timedelta(hours=-5))
    start = datetime(2026, 12, 1, 9, 0, tzinfo=new_york)
    assert format_period(start, start + timedelta(hours=2)) == (
        "2026년 12월 1일(화) 23:00 – 2026년 12월 2일(수) 01:00"
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        stop(starts_at=datetime(2026, 12, 1, 14, 0))


def test_unknown_change_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown change"):
        stop(change="moved")


def test_talking_points_import_no_io_or_framework_code() -> None:
    tree = ast.parse(Path(talking_points.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    allowed = {"__future__", "dataclasses", "datetime", "schemas.vocabulary"}
    assert {m for m in imported if m and not m.startswith("services.briefing.domain.")} <= allowed
