"""The policy knowledge base: facts from the secretariat's work reports, each with its source.

Pure domain: the entries arrive already parsed (see ``adapters/knowledge_file.py``); this
module validates them, fingerprints the content and finds the entries related to a stop.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.briefing.domain.talking_points import StopFacts

CATEGORY_LABELS: dict[str, str] = {
    "disaster_safety": "재난·안전",
    "livelihood": "민생",
    "vulnerable_groups": "약자와의 동행",
    "groundbreaking": "착공·개통",
    "press": "언론 발표",
    "council_meeting": "시의회 간담회",
    "intergovernmental": "대정부·지자체 협력",
    "district_cooperation": "자치구 협력",
    "fixed_commitment": "고정 일정",
}
"""Stop categories (the codes of ``schemas.vocabulary.VisitCategory``) in Korean."""

POLICY_AREA_LABELS: dict[str, str] = {
    "administration": "행정",
    "economy": "경제",
    "environment": "환경",
    "culture": "문화",
    "welfare": "복지",
    "housing": "주택",
    "urban_planning": "도시계획",
    "transport": "교통",
    "education": "교육",
    "safety": "안전",
}
"""Policy areas (the codes of ``schemas.vocabulary.PolicyArea``) in Korean."""

KEYWORD_WEIGHT = 4
"""Per keyword of the entry found in the stop's title, purpose or place: the strongest signal."""
DISTRICT_WEIGHT = 3
CATEGORY_WEIGHT = 2
POLICY_AREA_WEIGHT = 1

MAX_EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a report, its section and a short verbatim quote."""

    document_id: str
    document_title: str
    report_date: date
    section: str
    excerpt: str

    def __post_init__(self) -> None:
        if not self.excerpt.strip():
            raise ValueError(f"source {self.document_id!r} has an empty excerpt")
        if len(self.excerpt) > MAX_EXCERPT_CHARS:
            raise ValueError(f"excerpt longer than {MAX_EXCERPT_CHARS} characters")


@dataclass(frozen=True)
class KnowledgeEntry:
    """One fact a talking point may use, tagged for matching against stops."""

    id: str
    title: str
    text: str
    source: Source
    categories: frozenset[str]
    policy_areas: frozenset[str]
    districts: frozenset[str]
    keywords: frozenset[str]

    def __post_init__(self) -> None:
        if not self.id or not self.title.strip() or not self.text.strip():
            raise ValueError(f"entry {self.id!r} needs an id, a title and a text")
        unknown = self.categories - CATEGORY_LABELS.keys()
        if unknown:
            raise ValueError(f"entry {self.id!r}: unknown categories {sorted(unknown)}")
        unknown = self.policy_areas - POLICY_AREA_LABELS.keys()
        if unknown:
            raise ValueError(f"entry {self.id!r}: unknown policy areas {sorted(unknown)}")


def relevance(entry: KnowledgeEntry, facts: StopFacts) -> int:
    """How well an entry fits a stop: keyword hits first, then district, category, policy area."""
    haystack = " ".join((facts.title, facts.purpose, facts.place_name)).casefold()
    score = KEYWORD_WEIGHT * sum(1 for word in entry.keywords if word.casefold() in haystack)
    if facts.district in entry.districts:
        score += DISTRICT_WEIGHT
    if facts.category in entry.categories:
        score += CATEGORY_WEIGHT
    if facts.policy_area is not None and facts.policy_area in entry.policy_areas:
        score += POLICY_AREA_WEIGHT
    return score


def content_version(entries: Iterable[KnowledgeEntry]) -> str:
    """First 12 hex digits of the SHA-256 of the entries' canonical JSON (order-independent)."""
    canonical = [
        {
            "id": e.id,
            "title": e.title,
            "text": e.text,
            "source": {
                "document_id": e.source.document_id,
                "document_title": e.source.document_title,
                "report_date": e.source.report_date.isoformat(),
                "section": e.source.section,
                "excerpt": e.source.excerpt,
            },
            "categories": sorted(e.categories),
            "policy_areas": sorted(e.policy_areas),
            "districts": sorted(e.districts),
            "keywords": sorted(e.keywords),
        }
        for e in sorted(entries, key=lambda e: e.id)
    ]
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries plus a content hash, so a briefing can say which knowledge base it used."""

    entries: tuple[KnowledgeEntry, ...]
    version: str

    def __post_init__(self) -> None:
        ids = [e.id for e in self.entries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate knowledge entry ids: {duplicates}")

    @classmethod
    def from_entries(cls, entries: Iterable[KnowledgeEntry]) -> KnowledgeBase:
        """Build a knowledge base whose version is the hash of its content."""
        entries = tuple(entries)
        return cls(entries=entries, version=content_version(entries))

    def get(self, entry_id: str) -> KnowledgeEntry | None:
        """The entry with this id, or None."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def related(self, facts: StopFacts, limit: int = 3) -> list[KnowledgeEntry]:
        """The best-scoring entries for a stop (score desc, id asc); never one scoring 0."""
        scored = [(relevance(e, facts), e) for e in self.entries]
        ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda p: (-p[0], p[1].id))
        return [entry for _, entry in ranked[: max(limit, 0)]]
