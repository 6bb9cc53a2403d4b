"""The briefing document as a printable HTML page (A4, one stop per page in a day's booklet).

Pure and self-contained (inline CSS, no external assets), so it prints offline. Every cited
line shows its source and the sentence it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from services.briefing.domain.briefing_doc import BriefingDocument, Item
from services.briefing.domain.render_markdown import day_title, source_line, version_line

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
       font-size: 10.5pt; line-height: 1.55; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; border-bottom: 2px solid #123a6b; padding-bottom: 4px; }
h2 { font-size: 12.5pt; color: #123a6b; margin: 14px 0 4px; }
.summary { background: #f1f4f8; padding: 6px 10px; border-left: 4px solid #123a6b; }
.meta { color: #555; font-size: 9pt; }
.withdrawn { color: #b00020; font-weight: bold; }
ul { margin: 2px 0 6px 18px; padding: 0; }
li { margin: 2px 0; }
.source { color: #444; font-size: 8.5pt; }
.quote { color: #333; font-size: 8.5pt; font-style: italic; }
.empty { color: #666; font-style: italic; }
.stop { page-break-after: always; break-after: page; }
.stop:last-child { page-break-after: auto; break-after: auto; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def _item(item: Item) -> str:
    heading = f"<b>{escape(item.heading)}</b>: " if item.heading else ""
    parts = [f"<li>{heading}{escape(item.text)}"]
    if item.answer:
        parts.append(f"<br>답변: {escape(item.answer)}")
    if item.citation is not None:
        parts.append(f'<br><span class="source">출처: {escape(source_line(item.citation))}</span>')
        parts.append(f'<br><span class="quote">원문: “{escape(item.citation.sentence)}”</span>')
    elif item.origin:
        parts.append(f'<br><span class="source">근거: {escape(item.origin)}</span>')
    return "".join(parts) + "</li>"


def stop_html(document: BriefingDocument) -> str:
    """One stop's briefing as an HTML fragment (an <article>)."""
    parts = [
        f'<article class="stop" id="{escape(document.stop_id)}">',
        f"<h1>{escape(document.title)}</h1>",
        f'<p class="summary">{escape(document.summary)}</p>',
        f'<p class="meta">{escape(version_line(document)).replace("**", "")}</p>',
    ]
    if document.withdrawn:
        parts.append('<p class="withdrawn">일정이 취소되어 이 브리핑은 철회되었습니다.</p>')
    if document.changes_since_last:
        parts.append("<h2>지난 브리핑 이후 변경 사항</h2><ul>")
        parts += [f"<li>{escape(c)}</li>" for c in document.changes_since_last]
        parts.append("</ul>")
    for section in document.sections:
        parts.append(f"<h2>{escape(section.title)}</h2>")
        if section.items:
            parts.append("<ul>" + "".join(_item(i) for i in section.items) + "</ul>")
        else:
            parts.append(f'<p class="empty">{escape(section.empty_reason or "")}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def render_html(document: BriefingDocument) -> str:
    """A printable page for one stop."""
    return page(document.title, stop_html(document))


def render_day_html(day: date, documents: Sequence[BriefingDocument]) -> str:
    """A day's booklet: contents, then one page per stop in time order."""
    title = day_title(day)
    if not documents:
        body = f'<h1>{escape(title)}</h1><p class="empty">이 날짜에 확정된 일정의 브리핑이 없습니다.</p>'
        return page(title, body)
    contents = "".join(
        f'<li><a href="#{escape(d.stop_id)}">{d.starts_at_label} {escape(d.title)}</a>'
        f"{' (철회)' if d.withdrawn else ''}</li>"
        for d in documents
    )
    cover = (
        f'<section class="stop"><h1>{escape(title)}</h1><h2>목차</h2><ol>{contents}</ol></section>'
    )
    return page(title, cover + "\n" + "\n".join(stop_html(d) for d in documents))
