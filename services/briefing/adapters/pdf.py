"""A day's briefings as a PDF booklet: fpdf2's HTML renderer with Noto Sans KR.

Both install from PyPI with no system libraries (fpdf2 is pure Python; the font comes in
the `pylopdf-fonts-ko` wheel, SIL Open Font License). fpdf2 reads a subset of HTML without
CSS, so the booklet is written for it here from the same document the HTML page shows.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from html import escape

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont
from pylopdf_fonts_ko import sans_path

from services.briefing.domain.briefing_doc import BriefingDocument, Item
from services.briefing.domain.render_markdown import day_title, source_line, version_line

FONT = "NotoSansKR"
GREY = "#555555"
BLUE = "#123a6b"
MISSING_GLYPHS = str.maketrans({"∘": "·", "‣": "-", "․": "·", "･": "·"})
"""Report bullets Noto Sans KR lacks, written with ones it has."""


def _item(item: Item) -> str:
    heading = f'<font color="{BLUE}">{escape(item.heading)}</font>: ' if item.heading else ""
    parts = [f"<li>{heading}{escape(item.text)}"]
    if item.answer:
        parts.append(f"<br>답변: {escape(item.answer)}")
    if item.citation is not None:
        source = escape(source_line(item.citation))
        sentence = escape(item.citation.sentence)
        parts.append(
            f'<br><font color="{GREY}" size="8">출처: {source}<br>원문: “{sentence}”</font>'
        )
    elif item.origin:
        parts.append(f'<br><font color="{GREY}" size="8">근거: {escape(item.origin)}</font>')
    return "".join(parts) + "</li>"


def _stop(document: BriefingDocument) -> str:
    parts = [
        f"<h1>{escape(document.title)}</h1>",
        f"<p>{escape(document.summary)}</p>",
        f'<p><font color="{GREY}" size="8">{escape(version_line(document).replace("**", ""))}'
        "</font></p>",
    ]
    if document.changes_since_last:
        parts.append(f'<h2><font color="{BLUE}">지난 브리핑 이후 변경 사항</font></h2><ul>')
        parts += [f"<li>{escape(c)}</li>" for c in document.changes_since_last]
        parts.append("</ul>")
    for section in document.sections:
        parts.append(f'<h2><font color="{BLUE}">{escape(section.title)}</font></h2>')
        if section.items:
            parts.append("<ul>" + "".join(_item(i) for i in section.items) + "</ul>")
        else:
            parts.append(f'<p><font color="{GREY}">{escape(section.empty_reason or "")}</font></p>')
    return "".join(parts)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _parsed_font() -> TTFFont:
    """Noto Sans KR's metrics, read once (about half a second) and shared by every booklet."""
    scratch = FPDF()
    scratch.add_font(FONT, "", str(sans_path()))
    return scratch.fonts[FONT.lower()]


def _add_font(pdf: FPDF) -> None:
    """The shared metrics with this document's own glyph subset and font file handle (fpdf2
    subsets the font object in place when it writes). One style only: each style would be
    subset and embedded on its own, about a second each, so emphasis is by colour."""
    with _lock:
        prototype = _parsed_font()
    font = copy.copy(prototype)
    font.i = len(pdf.fonts) + 1
    font.fontkey = FONT.lower()
    font.emphasis = TextEmphasis.coerce("")
    font.ttfont = ttLib.TTFont(str(sans_path()), recalcTimestamp=False, fontNumber=0, lazy=True)
    font.desc = copy.copy(prototype.desc)
    font.missing_glyphs = []
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


def day_pdf(day: date, documents: Sequence[BriefingDocument]) -> bytes:
    """The booklet: a contents page, then each stop on its own page(s), in time order."""
    pdf = FPDF(format="A4")
    pdf.set_margins(14, 16, 14)
    pdf.set_auto_page_break(auto=True, margin=16)
    _add_font(pdf)
    pdf.set_title(day_title(day))
    pdf.set_creator("동선(Dongseon) briefing")
    pdf.set_font(FONT, size=10)

    def write(html: str) -> None:
        pdf.write_html(html.translate(MISSING_GLYPHS), font_family=FONT, ul_bullet_char="•")

    pdf.add_page()
    if documents:
        contents = "".join(
            f"<li>{d.starts_at_label} {escape(d.title)}{' (철회)' if d.withdrawn else ''}</li>"
            for d in documents
        )
        write(f"<h1>{escape(day_title(day))}</h1><h2>목차</h2><ol>{contents}</ol>")
    else:
        write(f"<h1>{escape(day_title(day))}</h1><p>이 날짜에 확정된 일정의 브리핑이 없습니다.</p>")
    for document in documents:
        pdf.add_page()
        write(_stop(document))
    return bytes(pdf.output())
