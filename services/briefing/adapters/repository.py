"""Briefing rows to domain objects and back; the only place with the briefing's queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from schemas.vocabulary import StopChangeKind
from services.briefing.adapters.orm import BriefingRow
from services.briefing.domain.briefing_doc import BriefingDocument, PastVisit
from services.briefing.domain.talking_points import Briefing, StoredBriefing, TalkingPoint

_points = TypeAdapter(tuple[TalkingPoint, ...])
_document = TypeAdapter(BriefingDocument)


class SqlBriefingRepository:
    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id

    def exists(self, stop_id: str, stop_version: int) -> bool:
        query = select(BriefingRow.id).where(
            BriefingRow.stop_id == stop_id, BriefingRow.stop_version == stop_version
        )
        return self.session.exec(query).first() is not None

    def add(self, stored: StoredBriefing) -> None:
        briefing = stored.briefing
        self.session.add(
            BriefingRow(
                id=stored.id,
                office_id=self.office_id,
                stop_id=briefing.stop_id,
                stop_version=briefing.stop_version,
                change=stored.change,
                title=stored.title,
                summary=briefing.summary,
                talking_points=list(_points.dump_python(briefing.talking_points, mode="json")),
                knowledge_base_version=briefing.knowledge_base_version,
                created_at=stored.created_at,
                **_document_columns(stored.document),
            )
        )

    def for_stop(self, stop_id: str) -> list[StoredBriefing]:
        query = (
            select(BriefingRow)
            .where(BriefingRow.stop_id == stop_id)
            .order_by(col(BriefingRow.stop_version).desc())
        )
        return [_stored(row) for row in self.session.exec(query)]

    def past_visits(
        self, district: str, before: datetime, *, exclude_stop: str, limit: int = 3
    ) -> list[PastVisit]:
        """The mayor's latest earlier stops in a district (not withdrawn), newest first."""
        query = (
            select(BriefingRow)
            .where(
                BriefingRow.office_id == self.office_id,
                BriefingRow.district == district,
                col(BriefingRow.starts_at) < before,
                BriefingRow.stop_id != exclude_stop,
            )
            .order_by(col(BriefingRow.starts_at).desc(), col(BriefingRow.stop_version).desc())
        )
        latest: dict[str, BriefingRow] = {}
        for row in self.session.exec(query):
            latest.setdefault(row.stop_id, row)
        visits = []
        for row in latest.values():
            if row.withdrawn or row.document is None or row.starts_at is None:
                continue
            purpose = _document.validate_python(row.document).overview_text("방문 목적")
            visits.append(PastVisit(row.stop_id, row.title, purpose, row.starts_at))
        return visits[:limit]

    def for_period(self, start: datetime, end: datetime) -> list[StoredBriefing]:
        """The latest briefing of every stop starting in [start, end), by start time."""
        query = (
            select(BriefingRow)
            .where(
                BriefingRow.office_id == self.office_id,
                col(BriefingRow.starts_at) >= start,
                col(BriefingRow.starts_at) < end,
            )
            .order_by(col(BriefingRow.stop_version).desc())
        )
        latest: dict[str, BriefingRow] = {}
        for row in self.session.exec(query):
            latest.setdefault(row.stop_id, row)
        rows = sorted(latest.values(), key=lambda r: (r.starts_at or start, r.stop_id))
        return [_stored(row) for row in rows]


def _stored(row: BriefingRow) -> StoredBriefing:
    return StoredBriefing(
        id=row.id,
        briefing=Briefing(
            stop_id=row.stop_id,
            stop_version=row.stop_version,
            summary=row.summary,
            talking_points=_points.validate_python(row.talking_points),
            knowledge_base_version=row.knowledge_base_version,
        ),
        change=StopChangeKind(row.change),
        title=row.title,
        created_at=row.created_at,
        document=_document.validate_python(row.document) if row.document else None,
    )


def _document_columns(document: BriefingDocument | None) -> dict[str, Any]:
    if document is None:
        return {}
    return dict(
        briefing_version=document.briefing_version,
        withdrawn=document.withdrawn,
        district=document.district,
        starts_at=document.starts_at,
        document=_document.dump_python(document, mode="json"),
    )
