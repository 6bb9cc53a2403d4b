"""HTTP routes of the briefing documents: one stop as Markdown or printable HTML, a day's
booklet as HTML, Markdown or PDF."""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from services.briefing import handlers
from services.briefing.adapters.pdf import day_pdf
from services.briefing.domain.render_html import render_day_html, render_html
from services.briefing.domain.render_markdown import render_day_markdown, render_markdown
from services.briefing.ports import BriefingPorts
from services.common.http import error_responses

MARKDOWN = "text/markdown; charset=utf-8"


def _content(media_type: str, description: str, *codes: int) -> dict[int | str, dict[str, Any]]:
    documented: dict[int | str, dict[str, Any]] = {
        200: {
            "content": {media_type.split(";")[0]: {"schema": {"type": "string"}}},
            "description": description,
        }
    }
    return documented | error_responses(*codes)


class MarkdownResponse(PlainTextResponse):
    media_type = MARKDOWN


def build_documents_router(ports: BriefingPorts) -> APIRouter:
    router = APIRouter(tags=["briefing"])

    @router.get(
        "/api/briefings/day/{day}.html",
        response_class=HTMLResponse,
        responses=_content("text/html", "그날 브리핑 책자(인쇄용 HTML)", 422),
    )
    async def day_html(day: date) -> HTMLResponse:
        """A day's briefings as one printable booklet (newest version of each stop)."""
        documents = await asyncio.to_thread(handlers.day_documents, ports.uow(), day)
        return HTMLResponse(render_day_html(day, documents))

    @router.get(
        "/api/briefings/day/{day}.md",
        response_class=MarkdownResponse,
        responses=_content(MARKDOWN, "그날 브리핑 책자(Markdown)", 422),
    )
    async def day_markdown(day: date) -> MarkdownResponse:
        """A day's briefings as one Markdown booklet."""
        documents = await asyncio.to_thread(handlers.day_documents, ports.uow(), day)
        return MarkdownResponse(render_day_markdown(day, documents))

    @router.get(
        "/api/briefings/day/{day}.pdf",
        response_class=Response,
        responses=_content("application/pdf", "그날 브리핑 책자(PDF)", 422),
    )
    async def day_as_pdf(day: date) -> Response:
        """A day's briefings as one PDF booklet (Korean font embedded)."""
        documents = await asyncio.to_thread(handlers.day_documents, ports.uow(), day)
        body = await asyncio.to_thread(partial(day_pdf, day, documents))
        disposition = f'inline; filename="briefing-{day.isoformat()}.pdf"'
        return Response(
            body, media_type="application/pdf", headers={"Content-Disposition": disposition}
        )

    @router.get(
        "/api/briefings/{stop_id}.md",
        response_class=MarkdownResponse,
        responses=_content(MARKDOWN, "일정 브리핑(Markdown)", 404),
    )
    async def stop_markdown(stop_id: str) -> MarkdownResponse:
        """The newest briefing of a stop as Markdown."""
        document = await asyncio.to_thread(handlers.latest_document, ports.uow(), stop_id)
        return MarkdownResponse(render_markdown(document))

    @router.get(
        "/api/briefings/{stop_id}.html",
        response_class=HTMLResponse,
        responses=_content("text/html", "일정 브리핑(인쇄용 HTML)", 404),
    )
    async def stop_html(stop_id: str) -> HTMLResponse:
        """The newest briefing of a stop as a printable page."""
        document = await asyncio.to_thread(handlers.latest_document, ports.uow(), stop_id)
        return HTMLResponse(render_html(document))

    return router
