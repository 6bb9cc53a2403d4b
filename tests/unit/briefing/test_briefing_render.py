"""Rendering one briefing document: Markdown, printable HTML, and the PDF booklet's bytes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from services.briefing.adapters.pdf import day_pdf
from services.briefing.domain.briefing_doc import (
    BriefingDocument,
    Citation,
    Item,
    Section,
    SectionKey,
)
from services.briefing.domain.render_html import render_day_html, render_html
from services.briefing.domain.render_markdown import render_day_markdown, render_markdown

CITED = Item(
    heading="난임부부 시술비",
    text="회당 최대 110만원 · 지원 건수 41,000건",
    citation=Citation(
        record_id="infertility-treatment-support-2023",
        document_id="000",
        document_title="서울시장 비서실 주요업무보고 (2023-04-19)",
        report_date=date(2023, 4, 19),
        section="Ⅱ-3 주요 시책",
        sentence="난임 시술비 회당 20~110만원 지원(’23년, 41,000건) ∘ <script>",
    ),
)


def document(withdrawn: bool = False, stop_id: str = "stop-1", hour: int = 5) -> BriefingDocument:
    sections = [Section(SectionKey.OVERVIEW, (Item("서울시청", "장소", origin="일정 정보"),))]
    sections.append(Section(SectionKey.KEY_MESSAGES, (), "이 일정에 맞는 시 정책 기록이 없습니다."))
    sections.append(Section(SectionKey.FACTS_AND_FIGURES, (CITED,)))
    sections += [Section(k, (), "해당 없음: 사유") for k in list(SectionKey)[3:]]
    return BriefingDocument(
        stop_id=stop_id,
        stop_version=2,
        briefing_version=2,
        title="저출생 대책 <기자설명회>",
        district="중구",
        starts_at=datetime(2026, 12, 3, hour, tzinfo=UTC),
        summary="요약",
        withdrawn=withdrawn,
        changes_since_last=("일시: 14:00 → 16:00",),
        sections=tuple(sections),
        knowledge_base_version="kb-3",
    )


def test_markdown_shows_each_source_and_sentence_and_empty_reasons() -> None:
    text = render_markdown(document())
    assert text.startswith("# 저출생 대책 <기자설명회>")
    assert "브리핑 2판 · 일정 2차 · 지식베이스 kb-3" in text
    assert "- 일시: 14:00 → 16:00" in text
    assert "  - 출처: 서울시장 비서실 주요업무보고 (2023-04-19), 2023-04-19, Ⅱ-3 주요 시책" in text
    assert "  - 원문: “난임 시술비 회당 20~110만원 지원(’23년, 41,000건)" in text
    assert "_이 일정에 맞는 시 정책 기록이 없습니다._" in text
    day = render_day_markdown(date(2026, 12, 3), [document(), document(True, "stop-2", 7)])
    assert (
        "1. 14:00 저출생 대책 <기자설명회>" in day
        and "2. 16:00 저출생 대책 <기자설명회> (철회)" in day
    )


def test_html_is_escaped_printable_and_one_page_per_stop() -> None:
    page = render_html(document())
    assert "&lt;기자설명회&gt;" in page and "<script>" not in page
    assert "@page { size: A4" in page and 'lang="ko"' in page
    booklet = render_day_html(date(2026, 12, 3), [document(), document(True, "stop-2", 7)])
    assert booklet.count('<article class="stop"') == 2
    assert "철회되었습니다" in booklet and 'href="#stop-2"' in booklet


def test_the_pdf_booklet_embeds_the_korean_font_and_has_a_page_per_stop() -> None:
    pdf = day_pdf(date(2026, 12, 3), [document(), document(True, "stop-2", 7)])
    assert pdf.startswith(b"%PDF-")
    assert b"NotoSansKR" in pdf and b"/FontFile" in pdf  # embedded, not substituted
    pages = int(re.search(rb"/Count (\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert pages >= 3  # contents + one page (at least) per stop
