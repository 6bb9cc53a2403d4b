"""The briefing document as Markdown: one stop, or a whole day as one booklet.

Pure: the same document gives the same text. Every cited line is followed by its source
(document, date, section) and the sentence it came from, so a reader can check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.briefing.domain.briefing_doc import BriefingDocument, Citation, Item
from services.briefing.domain.talking_points import WEEKDAYS


def source_line(citation: Citation) -> str:
    """'서울시장 비서실 주요업무보고 (2023-04-19), 2023-04-19, Ⅱ-1 …'."""
    when = citation.report_date.isoformat() if citation.report_date else "날짜 미상"
    return f"{citation.document_title}, {when}, {citation.section}"


def version_line(document: BriefingDocument) -> str:
    state = " · **철회됨**" if document.withdrawn else ""
    return (
        f"브리핑 {document.briefing_version}판 · 일정 {document.stop_version}차 · "
        f"지식베이스 {document.knowledge_base_version}{state}"
    )


def _item(item: Item) -> list[str]:
    heading = f"**{item.heading}**: " if item.heading else ""
    lines = [f"- {heading}{item.text}"]
    if item.answer:
        lines.append(f"  - 답변: {item.answer}")
    if item.citation is not None:
        lines.append(f"  - 출처: {source_line(item.citation)}")
        lines.append(f"  - 원문: “{item.citation.sentence}”")
    elif item.origin:
        lines.append(f"  - 근거: {item.origin}")
    return lines


def render_markdown(document: BriefingDocument, level: int = 1) -> str:
    """One stop's briefing; `level` 2 nests it under a day's title."""
    h = "#" * level
    lines = [f"{h} {document.title}", "", f"> {document.summary}", "", version_line(document), ""]
    if document.changes_since_last:
        lines += [f"{h}# 지난 브리핑 이후 변경 사항", ""]
        lines += [f"- {change}" for change in document.changes_since_last] + [""]
    for section in document.sections:
        lines += [f"{h}# {section.title}", ""]
        if section.items:
            for item in section.items:
                lines += _item(item)
        else:
            lines.append(f"_{section.empty_reason}_")
        lines.append("")
    return "\n".join(lines)


def day_title(day: date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일({WEEKDAYS[day.weekday()]}) 현장 브리핑"


def render_day_markdown(day: date, documents: Sequence[BriefingDocument]) -> str:
    """A day's briefings as one booklet: a contents list, then each stop in time order."""
    lines = [f"# {day_title(day)}", ""]
    if not documents:
        return "\n".join(lines + ["_이 날짜에 확정된 일정의 브리핑이 없습니다._", ""])
    lines += ["## 목차", ""]
    for i, document in enumerate(documents, 1):
        mark = " (철회)" if document.withdrawn else ""
        lines.append(f"{i}. {document.starts_at_label} {document.title}{mark}")
    lines.append("")
    for document in documents:
        lines += [render_markdown(document, level=2), "---", ""]
    return "\n".join(lines)
