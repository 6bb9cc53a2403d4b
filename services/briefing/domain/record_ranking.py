"""Which knowledge records fit a stop: structured matches (place, district, category, area).

Pure and deterministic (score desc, id asc). Used to pick the records a briefing cites;
free-text ranking (`retrieval`) adds to it when available.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from services.briefing.domain.records import Record
from services.briefing.domain.talking_points import StopFacts

PLACE_WEIGHT = 5
TERM_WEIGHT = 4
DISTRICT_WEIGHT = 3
CATEGORY_WEIGHT = 2
POLICY_AREA_WEIGHT = 1
FREE_TEXT_TOP = 8
FREE_TEXT_FLOOR = 3


def stop_text(facts: StopFacts) -> str:
    return " ".join((facts.title, facts.purpose, facts.place_name)).casefold()


def record_score(record: Record, facts: StopFacts) -> int:
    """Places and programme/tag terms named by the stop first, then district, category, area."""
    haystack = stop_text(facts)
    score = PLACE_WEIGHT * sum(1 for p in record.places if p.casefold() in haystack)
    terms = {t for t in (*record.programmes, *record.tags) if len(t) >= 2}
    score += TERM_WEIGHT * sum(1 for t in terms if t.casefold() in haystack)
    if facts.district in record.districts:
        score += DISTRICT_WEIGHT
    if record.category is not None and record.category == facts.category:
        score += CATEGORY_WEIGHT
    if facts.policy_area is not None and record.policy_area == facts.policy_area:
        score += POLICY_AREA_WEIGHT
    return score


def rank_records(
    records: Iterable[Record],
    facts: StopFacts,
    *,
    limit: int = 12,
    boost: Sequence[str] = (),
) -> list[Record]:
    """The best-fitting records (never one scoring 0); `boost` ids (free-text hits, best first)
    add from FREE_TEXT_TOP down to FREE_TEXT_FLOOR by rank."""
    boosted = {record_id: len(boost) - i for i, record_id in enumerate(boost)}
    scored = []
    for record in records:
        score = record_score(record, facts)
        if record.id in boosted:
            score += max(FREE_TEXT_TOP - (len(boost) - boosted[record.id]), FREE_TEXT_FLOOR)
        if score > 0:
            scored.append((-score, -boosted.get(record.id, 0), record.id, record))
    return [entry[3] for entry in sorted(scored)[: max(limit, 0)]]


def sensitive_for(records: Iterable[Record], facts: StopFacts) -> list[Record]:
    """Records marked sensitive that touch the stop: its district or place, or, for records
    tied to no district, its category (id order)."""
    haystack = stop_text(facts)
    chosen = []
    for record in sorted(records, key=lambda r: r.id):
        if not record.sensitive:
            continue
        same_place = any(p.casefold() in haystack for p in record.places)
        same_district = facts.district in record.districts
        same_kind = not record.districts and record.category == facts.category
        if same_place or same_district or same_kind:
            chosen.append(record)
    return chosen
