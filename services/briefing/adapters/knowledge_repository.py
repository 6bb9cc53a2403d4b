"""Knowledge rows to domain objects and back; the only place with the knowledge base's queries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from services.briefing.adapters.knowledge_orm import (
    KnowledgeRecordRow,
    KnowledgeRecordSetRow,
    KnowledgeVersionRow,
)
from services.briefing.domain.records import Document, KnowledgeVersion, Record, RecordSet


class Origin(StrEnum):
    """Where a stored record's current content comes from."""

    SOURCE = "source"
    OPERATOR = "operator"


class SqlKnowledgeRepository:
    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id

    def source_hashes(self) -> dict[str, str]:
        """Record set name → hash of its records when last loaded from the source files."""
        query = select(KnowledgeRecordSetRow).where(
            KnowledgeRecordSetRow.office_id == self.office_id
        )
        return {row.name: row.source_hash for row in self.session.exec(query)}

    def documents(self) -> dict[str, tuple[Document, str]]:
        """Document id → (document, name of its record set)."""
        query = select(KnowledgeRecordSetRow).where(
            KnowledgeRecordSetRow.office_id == self.office_id
        )
        return {
            row.document_id: (
                Document(row.document_id, row.document_title, row.report_date),
                row.name,
            )
            for row in self.session.exec(query)
        }

    def save_record_set(self, record_set: RecordSet, source_hash: str, now: datetime) -> None:
        document = record_set.document
        row = self.session.get(KnowledgeRecordSetRow, (self.office_id, record_set.name))
        if row is None:
            row = KnowledgeRecordSetRow(
                office_id=self.office_id,
                name=record_set.name,
                document_id=document.id,
                document_title=document.title,
                report_date=document.report_date,
                source_hash=source_hash,
                loaded_at=now,
            )
        else:
            row.document_id = document.id
            row.document_title = document.title
            row.report_date = document.report_date
            row.source_hash = source_hash
            row.loaded_at = now
        self.session.add(row)

    def records(self) -> list[Record]:
        query = (
            select(KnowledgeRecordRow)
            .where(KnowledgeRecordRow.office_id == self.office_id)
            .order_by(col(KnowledgeRecordRow.id))
        )
        return [Record.from_dict(row.data) for row in self.session.exec(query)]

    def get(self, record_id: str) -> Record | None:
        row = self.session.get(KnowledgeRecordRow, (self.office_id, record_id))
        return None if row is None else Record.from_dict(row.data)

    def load_source(self, record_set: RecordSet, now: datetime) -> None:
        """Write a set's records as its file has them; operators' edits stay, and records the
        file no longer has go (unless an operator edited them). One query, one flush."""
        query = select(KnowledgeRecordRow).where(
            KnowledgeRecordRow.office_id == self.office_id,
            KnowledgeRecordRow.record_set == record_set.name,
        )
        with self.session.no_autoflush:
            rows = {row.id: row for row in self.session.exec(query)}
            for record in record_set.records:
                row = rows.pop(record.id, None)
                if row is None or row.origin == Origin.SOURCE:
                    self._write(row, record, record_set.name, Origin.SOURCE, now)
            for row in rows.values():
                if row.origin == Origin.SOURCE:
                    self.session.delete(row)
        self.session.flush()

    def put(self, record: Record, record_set: str, origin: Origin, now: datetime) -> None:
        """Insert or overwrite a record."""
        row = self.session.get(KnowledgeRecordRow, (self.office_id, record.id))
        self._write(row, record, record_set, origin, now)

    def _write(
        self,
        row: KnowledgeRecordRow | None,
        record: Record,
        record_set: str,
        origin: Origin,
        now: datetime,
    ) -> None:
        if row is None:
            row = KnowledgeRecordRow(
                office_id=self.office_id,
                id=record.id,
                record_set=record_set,
                kind=record.kind.value,
                data=record.to_dict(),
                origin=origin.value,
                updated_at=now,
            )
        else:
            row.record_set = record_set
            row.kind = record.kind.value
            row.data = record.to_dict()
            row.origin = origin.value
            row.updated_at = now
        self.session.add(row)

    def latest_version(self) -> KnowledgeVersion | None:
        query = (
            select(KnowledgeVersionRow)
            .where(KnowledgeVersionRow.office_id == self.office_id)
            .order_by(col(KnowledgeVersionRow.number).desc())
            .limit(1)
        )
        row = self.session.exec(query).first()
        if row is None:
            return None
        return KnowledgeVersion(row.number, row.content_hash, row.reason, row.record_id)

    def add_version(self, version: KnowledgeVersion, now: datetime) -> None:
        self.session.add(
            KnowledgeVersionRow(
                office_id=self.office_id,
                number=version.number,
                content_hash=version.content_hash,
                reason=version.reason,
                record_id=version.record_id,
                created_at=now,
            )
        )
