"""Briefing rows to domain objects and back."""

from __future__ import annotations

from datetime import datetime

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from services.briefing.adapters.orm import BriefingRow
from services.briefing.domain.talking_points import Briefing, TalkingPoint

_points = TypeAdapter(tuple[TalkingPoint, ...])


class BriefingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self, stop_id: str, stop_version: int) -> bool:
        query = select(BriefingRow.id).where(
            BriefingRow.stop_id == stop_id, BriefingRow.stop_version == stop_version
        )
        return self.session.exec(query).first() is not None

    def add(
        self, briefing_id: str, briefing: Briefing, *, change: str, title: str, now: datetime
    ) -> None:
        self.session.add(
            BriefingRow(
                id=briefing_id,
                stop_id=briefing.stop_id,
                stop_version=briefing.stop_version,
                change=change,
                title=title,
                summary=briefing.summary,
                talking_points=list(_points.dump_python(briefing.talking_points, mode="json")),
                knowledge_base_version=briefing.knowledge_base_version,
                created_at=now,
            )
        )

    def for_stop(self, stop_id: str) -> list[tuple[BriefingRow, tuple[TalkingPoint, ...]]]:
        query = (
            select(BriefingRow)
            .where(BriefingRow.stop_id == stop_id)
            .order_by(col(BriefingRow.stop_version).desc())
        )
        return [
            (row, _points.validate_python(row.talking_points)) for row in self.session.exec(query)
        ]
