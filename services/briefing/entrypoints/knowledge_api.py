"""HTTP routes of the knowledge base: search, read, and operators' additions and corrections."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Protocol

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from schemas.vocabulary import PolicyArea, VisitCategory
from services.briefing.adapters.knowledge_store import SearchResult
from services.briefing.domain.records import (
    MAX_SENTENCE_CHARS,
    Document,
    Figure,
    KnowledgeRecords,
    Record,
    RecordKind,
)
from services.briefing.domain.retrieval import MAX_LIMIT
from services.common.errors import InvalidInput
from services.common.http import error_responses


class KnowledgePort(Protocol):
    """What the routes use of the knowledge store."""

    def search(self, query: str, limit: int, **filters: str | None) -> SearchResult: ...

    def get(self, record_id: str) -> tuple[Record, KnowledgeRecords]: ...

    def add(self, record: Record) -> str: ...

    def replace(self, record_id: str, record: Record) -> str: ...


class FigureModel(BaseModel):
    """A figure as the sentence writes it (`text`), its value and unit."""

    text: str = Field(min_length=1, examples=["2,861명"])
    value: float = Field(examples=[2861])
    unit: str = Field(min_length=1, examples=["명"])
    label: str = Field(min_length=1, examples=["투입 인원"])


class RecordIn(BaseModel):
    """A record as an operator writes it; every figure must occur in the sentence."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", examples=["inwangsan-wildfire-2023"])
    kind: RecordKind
    title: str = Field(min_length=1, max_length=120)
    document_id: str = Field(min_length=1, examples=["000_940ed3c53537b80e"])
    section: str = Field(min_length=1)
    sentence: str = Field(min_length=1, max_length=MAX_SENTENCE_CHARS)
    date: str | None = Field(default=None, description="YYYY, YYYY-MM 또는 YYYY-MM-DD")
    time: str | None = Field(default=None, description="HH:MM")
    figures: list[FigureModel] = Field(default_factory=list)
    districts: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    departments: list[str] = Field(default_factory=list)
    programmes: list[str] = Field(default_factory=list)
    category: VisitCategory | None = None
    policy_area: PolicyArea | None = None
    sensitive: bool = Field(default=False, description="유의사항(민감 사안)으로 다룰 기록")
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_record(self) -> RecordIn:
        self.to_record()
        return self

    def to_record(self) -> Record:
        data = self.model_dump(mode="json", include=set(RecordIn.model_fields))
        data["figures"] = tuple(Figure(**f) for f in data["figures"])
        for name in ("districts", "places", "departments", "programmes", "tags"):
            data[name] = tuple(data[name])
        return Record(**data)


class SourceOut(BaseModel):
    """Where a record comes from: the report, its section and the sentence."""

    document_id: str
    document_title: str | None
    report_date: date | None
    section: str
    sentence: str


class RecordOut(RecordIn):
    source: SourceOut
    knowledge_base_version: str

    @classmethod
    def of(cls, record: Record, documents: Mapping[str, Document], version: str) -> RecordOut:
        document = documents.get(record.document_id)
        return cls.model_validate(
            {
                **record.to_dict(),
                "source": SourceOut(
                    document_id=record.document_id,
                    document_title=document.title if document else None,
                    report_date=document.report_date if document else None,
                    section=record.section,
                    sentence=record.sentence,
                ),
                "knowledge_base_version": version,
            }
        )


class HitOut(BaseModel):
    rank: int
    score: float = Field(description="정규화한 BM25 점수 + 구조 가중치")
    matched: list[str] = Field(description="가중치를 받은 일치 항목(district, place 등)")
    record: RecordOut


class SearchOut(BaseModel):
    query: str
    knowledge_base_version: str
    hits: list[HitOut]


def build_knowledge_router(store: KnowledgePort) -> APIRouter:
    router = APIRouter(tags=["knowledge"])

    @router.get("/api/knowledge/search", response_model=SearchOut, responses=error_responses(422))
    async def search_records(
        q: Annotated[str, Query(min_length=1, max_length=200, description="검색어")],
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
        district: str | None = None,
        category: VisitCategory | None = None,
        policy_area: PolicyArea | None = None,
        programme: str | None = None,
        place: str | None = None,
    ) -> SearchOut:
        """Records ranked for a Korean query (morphemes + BM25, boosted by structured matches)."""
        if not q.strip():
            raise InvalidInput("q", "검색어를 입력하세요")
        filters = {
            "district": district,
            "category": category.value if category else None,
            "policy_area": policy_area.value if policy_area else None,
            "programme": programme,
            "place": place,
        }
        result = await asyncio.to_thread(store.search, q, limit, **filters)
        return SearchOut(
            query=q,
            knowledge_base_version=result.version,
            hits=[
                HitOut(
                    rank=rank,
                    score=hit.score,
                    matched=list(hit.matched),
                    record=RecordOut.of(hit.record, result.documents, result.version),
                )
                for rank, hit in enumerate(result.hits, start=1)
            ],
        )

    @router.get(
        "/api/knowledge/records/{record_id}",
        response_model=RecordOut,
        responses=error_responses(404),
    )
    async def read_record(record_id: str) -> RecordOut:
        """One record with its source and the knowledge base version."""
        record, kb = await asyncio.to_thread(store.get, record_id)
        return RecordOut.of(record, kb.documents, kb.version)

    @router.post(
        "/api/knowledge/records",
        response_model=RecordOut,
        status_code=201,
        responses=error_responses(409, 422),
    )
    async def add_record(body: RecordIn) -> RecordOut:
        """Add a record; the knowledge base gets a new version."""
        version = await asyncio.to_thread(store.add, body.to_record())
        record, kb = await asyncio.to_thread(store.get, body.id)
        return RecordOut.of(record, kb.documents, version)

    @router.put(
        "/api/knowledge/records/{record_id}",
        response_model=RecordOut,
        responses=error_responses(404, 422),
    )
    async def correct_record(record_id: str, body: RecordIn) -> RecordOut:
        """Correct a record (the body is the whole record); the knowledge base gets a new version."""
        version = await asyncio.to_thread(store.replace, record_id, body.to_record())
        record, kb = await asyncio.to_thread(store.get, record_id)
        return RecordOut.of(record, kb.documents, version)

    return router
