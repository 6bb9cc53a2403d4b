"""The briefing document a secretary would write for one version of one stop.

Pure data: six Korean sections (방문 개요 … 유의사항) of items; an item drawn from a report
cites the sentence it came from, and every number in it must occur in that sentence
(`unverified_numbers`). An empty section says why it is empty. `sections.py` composes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from schemas.vocabulary import SEOUL
from services.briefing.domain.records import Document, Record, collapse

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


class SectionKey(StrEnum):
    OVERVIEW = "overview"
    KEY_MESSAGES = "key_messages"
    FACTS_AND_FIGURES = "facts_and_figures"
    LOCAL_ISSUES = "local_issues"
    EXPECTED_QUESTIONS = "expected_questions"
    CAUTIONS = "cautions"


SECTION_TITLES: dict[SectionKey, str] = {
    SectionKey.OVERVIEW: "방문 개요",
    SectionKey.KEY_MESSAGES: "핵심 메시지",
    SectionKey.FACTS_AND_FIGURES: "현황 및 수치",
    SectionKey.LOCAL_ISSUES: "지역 현안",
    SectionKey.EXPECTED_QUESTIONS: "예상 질의",
    SectionKey.CAUTIONS: "유의사항",
}


@dataclass(frozen=True)
class Citation:
    """The sentence of a report an item comes from."""

    record_id: str
    document_id: str
    document_title: str
    report_date: date | None
    section: str
    sentence: str


@dataclass(frozen=True)
class PastVisit:
    """An earlier stop of the mayor in the district, as its briefing recorded it."""

    stop_id: str
    title: str
    purpose: str
    starts_at: datetime


@dataclass(frozen=True)
class Item:
    """One line of a section; `origin` says where an uncited line comes from."""

    text: str
    heading: str = ""
    citation: Citation | None = None
    origin: str = ""
    answer: str = ""  # 예상 질의: the suggested answer (cited by `citation` when from a report)


@dataclass(frozen=True)
class Section:
    key: SectionKey
    items: tuple[Item, ...]
    empty_reason: str | None = None

    def __post_init__(self) -> None:
        if not self.items and not self.empty_reason:
            raise ValueError(f"section {self.key} is empty and does not say why")

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.key]


@dataclass(frozen=True)
class BriefingDocument:
    """What the mayor reads before one version of one stop."""

    stop_id: str
    stop_version: int
    briefing_version: int
    title: str
    district: str
    starts_at: datetime
    summary: str
    withdrawn: bool
    changes_since_last: tuple[str, ...]
    sections: tuple[Section, ...]
    knowledge_base_version: str

    def section(self, key: SectionKey) -> Section:
        return next(s for s in self.sections if s.key is key)

    @property
    def starts_at_label(self) -> str:
        """The start in Seoul time, 'HH:MM'."""
        return f"{self.starts_at.astimezone(SEOUL):%H:%M}"

    def overview_text(self, heading: str) -> str:
        """The text of an overview line ('방문 목적', '일시', ...), or ''."""
        items = self.section(SectionKey.OVERVIEW).items
        return next((i.text for i in items if i.heading == heading), "")


def numbers_in(text: str) -> list[str]:
    """The numbers written in a text, without thousands separators (`2,861명` → `2861`)."""
    return [m.group().replace(",", "").rstrip(".") for m in NUMBER.finditer(text)]


def unverified_numbers(text: str, sentence: str) -> list[str]:
    """Numbers of `text` that its cited sentence does not contain (empty: verified)."""
    known = set(numbers_in(sentence))
    return [n for n in numbers_in(text) if n not in known]


def unverified_items(document: BriefingDocument) -> list[tuple[Item, list[str]]]:
    """Every cited item whose heading, text or answer has a number its sentence lacks."""
    problems = []
    for section in document.sections:
        for item in section.items:
            if item.citation is None:
                continue
            wrong = unverified_numbers(
                f"{item.heading} {item.text} {item.answer}", item.citation.sentence
            )
            if wrong:
                problems.append((item, wrong))
    return problems


def cite(record: Record, documents: Mapping[str, Document]) -> Citation:
    """The citation of a record: its document, section, date and sentence."""
    document = documents.get(record.document_id)
    return Citation(
        record_id=record.id,
        document_id=record.document_id,
        document_title=document.title if document else record.document_id,
        report_date=document.report_date if document else None,
        section=record.section,
        sentence=collapse(record.sentence),
    )


def safe_title(record: Record) -> str:
    """The record's title if its numbers are in its sentence, else the sentence itself."""
    if unverified_numbers(record.title, record.sentence):
        return collapse(record.sentence)
    return record.title
