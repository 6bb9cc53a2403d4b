"""HTTP routes of the members' letters: queue the session reports, list letters and their state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel, Field

from services.common.http import correlation_id, error_responses
from services.notifier import member_letters_handlers as handlers
from services.notifier.domain.member_letters import Letter, LetterKind, LetterStatus
from services.notifier.member_letters_handlers import MemberLetterPorts


class SessionReportIn(BaseModel):
    session: str = Field(description="The council session that ended.", examples=["제311회 정례회"])
    ended_at: AwareDatetime = Field(description="When it ended; items answered later wait.")


class SessionReportOut(BaseModel):
    session: str
    letters: list[str] = Field(description="Ids of the reports queued, one per member.")
    items: int = Field(description="Answered items the reports carry.")


class LetterOut(BaseModel):
    id: str
    kind: LetterKind
    member_id: str
    to_address: str
    subject: str
    status: LetterStatus
    attempts: int
    last_error: str | None = Field(
        description="Why it failed or is retried, in Korean or as the server said."
    )
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, letter: Letter) -> LetterOut:
        return cls(
            id=letter.id,
            kind=letter.kind,
            member_id=letter.member_id,
            to_address=letter.to_address,
            subject=letter.content.subject,
            status=letter.status,
            attempts=letter.attempts,
            last_error=letter.last_error,
            created_at=letter.created_at,
            sent_at=letter.sent_at,
        )


def build_letters_router(ports: MemberLetterPorts) -> APIRouter:
    router = APIRouter(tags=["members' letters"])

    @router.post(
        "/api/member-reports",
        status_code=202,
        response_model=SessionReportOut,
        responses=error_responses(422),
        summary="After a council session: one report per member of what was answered since the last",
    )
    async def queue_reports(body: SessionReportIn, request: Request) -> SessionReportOut:
        queued = await asyncio.to_thread(
            partial(
                handlers.queue_session_reports,
                ports.letters_uow(),
                body.session.strip(),
                body.ended_at,
                contact=ports.settings.reply_to_email,
                now=datetime.now(UTC),
                correlation_id=correlation_id(request),
            )
        )
        if queued.letters:
            ports.letters_queued()
        return SessionReportOut(
            session=queued.session, letters=list(queued.letters), items=queued.items
        )

    @router.get(
        "/api/member-letters",
        response_model=list[LetterOut],
        summary="Letters to members (answers and session reports) and their delivery state",
    )
    async def list_letters(member_id: str | None = None) -> list[LetterOut]:
        letters = await asyncio.to_thread(handlers.recent_letters, ports.letters_uow(), member_id)
        return [LetterOut.of(letter) for letter in letters]

    return router
