"""The knowledge base's tables: record sets (one per source report), records, versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from schemas.envelope import DEFAULT_OFFICE


class KnowledgeRecordSetRow(SQLModel, table=True):
    """One source file (one report) as last loaded, with the hash of its records."""

    __tablename__ = "briefing_knowledge_record_set"

    office_id: str = Field(default=DEFAULT_OFFICE, primary_key=True)
    name: str = Field(primary_key=True)
    document_id: str = Field(index=True)
    document_title: str
    report_date: date
    source_hash: str
    loaded_at: datetime


class KnowledgeRecordRow(SQLModel, table=True):
    """One record; `origin` says whether an operator changed it (then a file reload keeps it)."""

    __tablename__ = "briefing_knowledge_record"

    office_id: str = Field(default=DEFAULT_OFFICE, primary_key=True)
    id: str = Field(primary_key=True)
    record_set: str = Field(index=True)
    kind: str
    data: dict[str, Any] = Field(sa_type=JSON)
    origin: str
    updated_at: datetime


class KnowledgeVersionRow(SQLModel, table=True):
    """Every change of the knowledge base: `kb-<number>`, its content hash and why."""

    __tablename__ = "briefing_knowledge_version"

    office_id: str = Field(default=DEFAULT_OFFICE, primary_key=True)
    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    content_hash: str
    reason: str
    record_id: str | None = None
    created_at: datetime
