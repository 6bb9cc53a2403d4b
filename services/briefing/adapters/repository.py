"""Briefing rows to domain objects and back; the only place with the briefing's queries."""

from __future__ import annotations

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from schemas.vocabulary import StopChangeKind
from services.briefing.adapters.orm import BriefingRow
from services.briefing.domain.talking_points import Briefing, StoredBriefing, TalkingPoint

_points = TypeAdapter(tuple[TalkingPoint, ...])


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
            )
        )

    def for_stop(self, stop_id: str) -> list[StoredBriefing]:
        query = (
            select(BriefingRow)
            .where(BriefingRow.stop_id == stop_id)
            .order_by(col(BriefingRow.stop_version).desc())
        )
        return [_stored(row) for row in self.session.exec(query)]


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
    )
