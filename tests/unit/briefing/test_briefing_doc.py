"""The briefing document of every stop of the sample week: six sections, every cited figure
found in its sentence, the district's requests present, no unexplained empty section."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.member_requests import RequestStatus
from schemas.vocabulary import OUTSIDE_SEOUL, StopChangeKind
from services.briefing.adapters.briefing_records import FileRecords
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.adapters.roster_file import load_council_directory
from services.briefing.domain.briefing_doc import (
    SECTION_TITLES,
    BriefingDocument,
    PastVisit,
    SectionKey,
)
from services.briefing.domain.council import CouncilDirectory
from services.briefing.domain.member_requests import MemberRequest
from services.briefing.domain.record_ranking import rank_records, sensitive_for
from services.briefing.domain.records import collapse
from services.briefing.domain.sections import BriefingInputs, compose_document
from services.briefing.domain.talking_points import StopFacts
from services.briefing.sample_week import sample_member_requests, sample_stops

MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def records() -> FileRecords:
    return FileRecords()


@pytest.fixture(scope="module")
def council() -> CouncilDirectory:
    return load_council_directory()


@pytest.fixture(scope="module")
def requests(council: CouncilDirectory) -> list[MemberRequest]:
    return sample_member_requests(council, NOW)


def brief(
    facts: StopFacts,
    records: FileRecords,
    council: CouncilDirectory,
    requests: list[MemberRequest],
    **overrides: object,
) -> BriefingDocument:
    snapshot = records.snapshot()
    query = " ".join((facts.title, facts.purpose, facts.place_name))
    hits = records.free_text(query, 12, district=facts.district)
    mine = [r for r in requests if r.district == facts.district]
    inputs = BriefingInputs(
        records=tuple(rank_records(snapshot.records, facts, boost=hits)),
        documents=snapshot.documents,
        knowledge_base_version=snapshot.version,
        today=NOW.date(),
        sensitive=tuple(sensitive_for(snapshot.records, facts)),
        members=tuple(council.in_district(facts.district)),
        open_requests=tuple(r for r in mine if r.is_open),
        answered_requests=tuple(r for r in mine if not r.is_open),
    )
    return compose_document(facts, replace(inputs, **overrides))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sample_briefings(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> list[BriefingDocument]:
    return [brief(stop, records, council, requests) for stop in sample_stops(MONDAY)]


def test_every_sample_briefing_has_the_six_sections_each_filled_or_explained(
    sample_briefings: list[BriefingDocument],
) -> None:
    assert len(sample_briefings) >= 20
    for document in sample_briefings:
        assert [s.title for s in document.sections] == list(SECTION_TITLES.values())
        for section in document.sections:
            assert section.items or (section.empty_reason and len(section.empty_reason) > 10), (
                document.title,
                section.title,
            )
        messages = document.section(SectionKey.KEY_MESSAGES).items
        assert 2 <= len(messages) <= 4, document.title
        assert all(m.citation is not None for m in messages)


def test_every_figure_of_every_sample_briefing_is_in_its_cited_sentence(
    sample_briefings: list[BriefingDocument],
) -> None:
    """Checked against the record files' sentences and the seed reports, not the domain's own
    check: a number shown beside a citation must be written in that sentence."""
    sentences = {r.id: collapse(r.sentence) for s in load_record_sets() for r in s.records}
    checked = 0
    for document in sample_briefings:
        for section in document.sections:
            for item in section.items:
                if item.citation is None:
                    assert item.origin, (document.title, item.text)  # says where it is from
                    continue
                sentence = item.citation.sentence
                assert sentence == sentences[item.citation.record_id]
                assert item.citation.document_title and item.citation.section
                assert item.citation.report_date is not None
                for number in DIGITS.findall(f"{item.heading} {item.text} {item.answer}"):
                    written = {n.replace(",", "") for n in DIGITS.findall(sentence)}
                    assert number.replace(",", "").rstrip(".") in written, (
                        document.title,
                        item.text,
                        sentence,
                    )
                    checked += 1
    assert checked >= 50, "the sample briefings carry figures"
    figures = [d.section(SectionKey.FACTS_AND_FIGURES) for d in sample_briefings]
    assert sum(1 for f in figures if f.items) >= len(sample_briefings) - 3


def test_the_briefing_is_deterministic(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> None:
    stop = sample_stops(MONDAY)[5]
    assert brief(stop, records, council, requests) == brief(stop, records, council, requests)


def test_a_district_briefing_lists_its_open_requests_and_earlier_visits(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> None:
    nowon = next(s for s in sample_stops(MONDAY) if s.district == "노원구")
    earlier = PastVisit(
        "stop-old", "노원 주민 간담회", "주민 의견 청취", nowon.starts_at - timedelta(days=30)
    )
    document = brief(nowon, records, council, requests, past_visits=(earlier,))
    local = document.section(SectionKey.LOCAL_ISSUES).items
    open_nowon = [r for r in requests if r.district == "노원구" and r.is_open]
    assert len(open_nowon) >= 2
    for request in open_nowon:
        assert any(request.text in i.text and request.department in i.origin for i in local)
    assert any("[조치 완료]" in i.text and "→" in i.text for i in local)
    assert any(i.heading == "이전 시장 방문" and "노원 주민 간담회" in i.text for i in local)
    overview = document.section(SectionKey.OVERVIEW)
    attendees = next(i.text for i in overview.items if i.heading == "참석")
    assert "성빛나 의원" in attendees and "노원구청장" in attendees
    questions = document.section(SectionKey.EXPECTED_QUESTIONS).items
    assert any(open_nowon[0].text in q.text and q.answer for q in questions)


def test_sensitive_records_reach_the_cautions_of_their_district(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> None:
    inwangsan = next(s for s in sample_stops(MONDAY) if "인왕산" in s.title)
    cautions = brief(inwangsan, records, council, requests).section(SectionKey.CAUTIONS).items
    assert any(i.heading.startswith("민감") and i.citation for i in cautions)


def test_empty_sections_say_why(council: CouncilDirectory) -> None:
    stop = next(s for s in sample_stops(MONDAY) if s.district == OUTSIDE_SEOUL)
    document = compose_document(
        replace(stop, public=True, important=False),
        BriefingInputs(records=(), documents={}, knowledge_base_version="kb-0", today=NOW.date()),
    )
    reasons = {s.key: s.empty_reason for s in document.sections if not s.items}
    assert set(reasons) == set(SectionKey) - {SectionKey.OVERVIEW}
    assert "kb-0" in (reasons[SectionKey.KEY_MESSAGES] or "")
    assert "서울 밖" in (reasons[SectionKey.LOCAL_ISSUES] or "")


def test_a_rescheduled_stop_says_what_changed_and_a_cancelled_one_is_withdrawn(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> None:
    before = sample_stops(MONDAY)[3]
    moved = replace(
        before,
        version=2,
        starts_at=before.starts_at + timedelta(hours=2),
        ends_at=before.ends_at + timedelta(hours=2),
        change=StopChangeKind.RESCHEDULED,
    )
    document = brief(moved, records, council, requests, previous=before, briefing_version=2)
    assert document.briefing_version == 2 and not document.withdrawn
    assert len(document.changes_since_last) == 1
    assert document.changes_since_last[0].startswith("일시: ")
    assert "→" in document.changes_since_last[0]
    cancelled = replace(before, version=3, change=StopChangeKind.CANCELLED)
    withdrawn = brief(cancelled, records, council, requests, previous=moved, briefing_version=3)
    assert withdrawn.withdrawn and withdrawn.changes_since_last[0] == "일정 취소"
    assert all(s.empty_reason and "철회" in s.empty_reason for s in withdrawn.sections[1:])
    assert "철회" in withdrawn.summary


def test_open_requests_that_are_late_are_flagged(
    records: FileRecords, council: CouncilDirectory, requests: list[MemberRequest]
) -> None:
    late = [r for r in requests if r.overdue(NOW.date())]
    assert late, "the sample has a request past its due date"
    stop = next(s for s in sample_stops(MONDAY) if s.district == late[0].district)
    cautions = brief(stop, records, council, requests).section(SectionKey.CAUTIONS).items
    assert any(i.heading == "기한 경과 건의" for i in cautions)
    assert all(r.status is not RequestStatus.ANSWERED for r in late)
