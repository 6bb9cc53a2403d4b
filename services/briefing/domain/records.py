"""Structured records of the knowledge base: one fact of a report, tied to the sentence it is from.

Pure domain: records are validated here (codes, dates, figures that occur in their sentence);
loading, storing and versioning happen in ``adapters/``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from services.briefing.domain.labels import CATEGORY_LABELS, POLICY_AREA_LABELS

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_SENTENCE_CHARS = 400


class RecordKind(StrEnum):
    """What a record is about."""

    EVENT = "event"
    PROGRAMME = "programme"
    PROJECT = "project"
    FIGURE = "figure"
    RULE = "rule"
    PLAN = "plan"
    DUTY = "duty"


RECORD_KIND_LABELS: dict[RecordKind, str] = {
    RecordKind.EVENT: "행사·일정",
    RecordKind.PROGRAMME: "사업·시책",
    RecordKind.PROJECT: "공사·사업장",
    RecordKind.FIGURE: "수치",
    RecordKind.RULE: "업무 규칙",
    RecordKind.PLAN: "추진계획",
    RecordKind.DUTY: "주요 기능",
}


def collapse(text: str) -> str:
    """Whitespace runs count as one space (the reports wrap lines mid-sentence)."""
    return re.sub(r"\s+", " ", text).strip()


def first_number(text: str) -> float | None:
    """The first number written in a figure's text (`2,861명` → 2861.0), or None."""
    match = NUMBER.search(text)
    return float(match.group().replace(",", "")) if match else None


@dataclass(frozen=True)
class Figure:
    """A figure as the report writes it (`text` occurs in the sentence), its value and unit."""

    text: str
    value: float
    unit: str
    label: str

    def __post_init__(self) -> None:
        if not self.text.strip() or not self.unit.strip() or not self.label.strip():
            raise ValueError("수치에는 표기(text), 단위(unit), 설명(label)이 모두 필요합니다")
        if first_number(self.text) != float(self.value):
            raise ValueError(f"수치 {self.text!r}의 값이 {self.value}와 다릅니다")


@dataclass(frozen=True)
class Document:
    """A source report."""

    id: str
    title: str
    report_date: date


@dataclass(frozen=True)
class Record:
    """One fact of a report, with where it is from (document, section, the verbatim sentence)."""

    id: str
    kind: RecordKind
    title: str
    document_id: str
    section: str
    sentence: str
    date: str | None = None
    time: str | None = None
    figures: tuple[Figure, ...] = ()
    districts: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    category: str | None = None
    policy_area: str | None = None
    sensitive: bool = False
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not ID_PATTERN.fullmatch(self.id):
            raise ValueError(f"id {self.id!r}: 소문자·숫자·하이픈만 쓸 수 있습니다")
        object.__setattr__(self, "kind", RecordKind(self.kind))
        for name in ("title", "document_id", "section", "sentence"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name}: 비어 있을 수 없습니다")
        if len(self.sentence) > MAX_SENTENCE_CHARS:
            raise ValueError(f"sentence: {MAX_SENTENCE_CHARS}자 이하여야 합니다")
        if self.date is not None and not PARTIAL_DATE.fullmatch(self.date):
            raise ValueError(f"date {self.date!r}: YYYY, YYYY-MM 또는 YYYY-MM-DD 형식이어야 합니다")
        if self.time is not None and not TIME.fullmatch(self.time):
            raise ValueError(f"time {self.time!r}: HH:MM 형식이어야 합니다")
        if self.category is not None and self.category not in CATEGORY_LABELS:
            raise ValueError(f"category {self.category!r}: 알 수 없는 분류입니다")
        if self.policy_area is not None and self.policy_area not in POLICY_AREA_LABELS:
            raise ValueError(f"policy_area {self.policy_area!r}: 알 수 없는 정책 분야입니다")
        sentence = collapse(self.sentence)
        for figure in self.figures:
            if collapse(figure.text) not in sentence:
                raise ValueError(f"수치 {figure.text!r}가 원문 문장에 없습니다")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the source files' shape)."""
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Record:
        """Parse the source files' shape; ValueError names what is wrong."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"record {raw.get('id')!r}: unknown fields {sorted(unknown)}")
        data = dict(raw)
        data["figures"] = tuple(Figure(**f) for f in raw.get("figures", ()))
        for name in ("districts", "places", "departments", "programmes", "tags"):
            values = raw.get(name, ())
            if isinstance(values, str) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"record {raw.get('id')!r}: {name} must be a list of strings")
            data[name] = tuple(values)
        try:
            return cls(**data)
        except TypeError as error:
            raise ValueError(f"record {raw.get('id')!r}: {error}") from error

    def searchable_text(self) -> str:
        """Everything a query may match: title, sentence and the structured fields."""
        parts = [self.title, self.sentence, *self.places, *self.districts, *self.departments]
        parts += [*self.programmes, *self.tags]
        return " ".join(parts)


def content_hash(records: Iterable[Record]) -> str:
    """First 12 hex digits of the SHA-256 of the records' canonical JSON (order-independent)."""
    canonical = [r.to_dict() for r in sorted(records, key=lambda r: r.id)]
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class RecordSet:
    """The records of one source file (one report)."""

    name: str
    document: Document
    records: tuple[Record, ...]

    def __post_init__(self) -> None:
        strangers = [r.id for r in self.records if r.document_id != self.document.id]
        if strangers:
            raise ValueError(f"record set {self.name}: records of another document {strangers}")


@dataclass(frozen=True)
class KnowledgeVersion:
    """A knowledge base version: `kb-<n>`, bumped by every change, with the content hash."""

    number: int
    content_hash: str
    reason: str
    record_id: str | None = None

    @property
    def label(self) -> str:
        return f"kb-{self.number}"


@dataclass(frozen=True)
class KnowledgeRecords:
    """All records and documents, at one version."""

    records: tuple[Record, ...]
    documents: Mapping[str, Document] = field(default_factory=dict)
    version: str = "kb-0"

    def __post_init__(self) -> None:
        ids = [r.id for r in self.records]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate record ids: {duplicates}")

    def get(self, record_id: str) -> Record | None:
        return next((r for r in self.records if r.id == record_id), None)
