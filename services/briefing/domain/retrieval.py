"""Korean retrieval over the records: BM25 on morphemes, plus structured boosts.

Pure: the tokeniser is passed in (``adapters/kiwi_tokenizer.py`` brings kiwipiepy's), the
index is built once per knowledge-base version, and the same query gives the same ranking.
BM25 scores are divided by the query's best score, so the boosts (the same district, place,
programme, category or policy area as the query names or asks for) weigh the same whatever
the query's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from schemas.vocabulary import SEOUL_DISTRICTS
from services.briefing.domain.records import Record, collapse

Tokenizer = Callable[[str], list[str]]
"""Text → index terms (morphemes); must be deterministic."""

DISTRICT_BOOST = 0.35
PLACE_BOOST = 0.35
PROGRAMME_BOOST = 0.3
CATEGORY_BOOST = 0.2
POLICY_AREA_BOOST = 0.1
MAX_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    """One ranked record: its score (normalised BM25 + boosts) and why it was boosted."""

    record: Record
    score: float
    bm25: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Mentions:
    """The structured things a query names or asks for."""

    districts: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    programmes: frozenset[str] = frozenset()
    category: str | None = None
    policy_area: str | None = None


def district_aliases() -> dict[str, str]:
    """'노원구' and '노원' → '노원구' (one-syllable stems like 중구's '중' are left out)."""
    aliases = {name: name for name in SEOUL_DISTRICTS}
    for name in SEOUL_DISTRICTS:
        stem = name[:-1]
        if len(stem) >= 2:
            aliases[stem] = name
    return aliases


class RecordIndex:
    """A BM25 index over the records' searchable text, and their districts, places, programmes."""

    def __init__(self, records: Sequence[Record], tokenizer: Tokenizer, version: str) -> None:
        self.records = tuple(sorted(records, key=lambda r: r.id))
        self.tokenizer = tokenizer
        self.version = version
        corpus = [tokenizer(r.searchable_text()) or [""] for r in self.records]
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)
        self.districts = district_aliases()
        self.places = sorted({p for r in self.records for p in r.places}, key=len, reverse=True)
        self.programmes = sorted({p for r in self.records for p in r.programmes})

    def mentions(self, query: str) -> Mentions:
        """Districts, places and programmes written in the query (spaces ignored)."""
        squeezed = collapse(query).replace(" ", "")
        return Mentions(
            districts=frozenset(
                name for alias, name in self.districts.items() if alias in squeezed
            ),
            places=frozenset(p for p in self.places if p.replace(" ", "") in squeezed),
            programmes=frozenset(p for p in self.programmes if p.replace(" ", "") in squeezed),
        )

    def bm25_scores(self, query: str) -> np.ndarray:
        terms = self.tokenizer(query)
        if not terms:
            return np.zeros(len(self.records), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(terms), dtype=np.float32)


def search(
    index: RecordIndex,
    query: str,
    limit: int = 10,
    *,
    district: str | None = None,
    category: str | None = None,
    policy_area: str | None = None,
    programme: str | None = None,
    place: str | None = None,
) -> list[Hit]:
    """The best records for a query (score desc, id asc); never one without any match."""
    asked = index.mentions(query)
    wanted = Mentions(
        districts=asked.districts | ({district} if district else set()),
        places=asked.places | ({place} if place else set()),
        programmes=asked.programmes | ({programme} if programme else set()),
        category=category,
        policy_area=policy_area,
    )
    scores = index.bm25_scores(query)
    best = float(scores.max()) if len(scores) else 0.0
    hits = []
    for record, raw in zip(index.records, scores, strict=True):
        relative = float(raw) / best if best > 0 else 0.0
        boost, matched = _boosts(record, wanted)
        if relative <= 0 and not matched:
            continue
        hits.append(Hit(record, round(relative + boost, 6), round(float(raw), 6), matched))
    hits.sort(key=lambda h: (-h.score, h.record.id))
    return hits[: max(0, min(limit, MAX_LIMIT))]


def _boosts(record: Record, wanted: Mentions) -> tuple[float, tuple[str, ...]]:
    boost = 0.0
    matched: list[str] = []
    for name, weight, have, want in (
        ("district", DISTRICT_BOOST, set(record.districts), wanted.districts),
        ("place", PLACE_BOOST, set(record.places), wanted.places),
        ("programme", PROGRAMME_BOOST, set(record.programmes), wanted.programmes),
    ):
        if have & want:
            boost += weight
            matched.append(name)
    if wanted.category and record.category == wanted.category:
        boost += CATEGORY_BOOST
        matched.append("category")
    if wanted.policy_area and record.policy_area == wanted.policy_area:
        boost += POLICY_AREA_BOOST
        matched.append("policy_area")
    return boost, tuple(matched)


def substring_search(records: Iterable[Record], query: str, limit: int = 10) -> list[Record]:
    """The baseline: records ranked by how many of the query's words occur in their text."""
    words = [w for w in collapse(query).split(" ") if w]
    scored = []
    for record in records:
        text = record.searchable_text()
        count = sum(1 for w in words if w in text)
        if count:
            scored.append((count, record))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [record for _, record in scored[:limit]]
