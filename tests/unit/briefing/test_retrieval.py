"""Korean retrieval: kiwi morphemes + BM25 + structured boosts, checked on the labelled set
against plain substring matching (the index is built once for the module: kiwi loads once)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from services.briefing.adapters.kiwi_tokenizer import tokenize
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.domain.records import Record, RecordKind
from services.briefing.domain.retrieval import (
    DISTRICT_BOOST,
    RecordIndex,
    search,
    substring_search,
)

LABELLED = Path(__file__).parent / "queries_knowledge.json"
Ranker = Callable[[str], list[str]]


def labelled_queries() -> list[dict[str, object]]:
    return list(json.loads(LABELLED.read_text(encoding="utf-8"))["queries"])


def quality(rank: Ranker, queries: list[dict[str, object]]) -> dict[str, float]:
    """precision@3, recall@5 and MRR (over the first 10) of a ranking on the labelled set."""
    p3 = r5 = mrr = 0.0
    for item in queries:
        relevant = set(item["relevant"])  # type: ignore[call-overload]
        got = rank(str(item["q"]))[:10]
        p3 += len(set(got[:3]) & relevant) / 3
        r5 += len(set(got[:5]) & relevant) / len(relevant)
        mrr += next((1 / (i + 1) for i, rid in enumerate(got) if rid in relevant), 0.0)
    n = len(queries)
    return {"p@3": p3 / n, "r@5": r5 / n, "mrr": mrr / n}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return [r for s in load_record_sets() for r in s.records]


@pytest.fixture(scope="module")
def index(records: list[Record]) -> RecordIndex:
    return RecordIndex(records, tokenize, "kb-test")


def test_the_labelled_set_has_40_natural_queries_with_existing_records(
    records: list[Record],
) -> None:
    queries = labelled_queries()
    ids = {r.id for r in records}
    assert len(queries) >= 40
    assert len({q["q"] for q in queries}) == len(queries)
    for item in queries:
        assert item["relevant"] and set(item["relevant"]) <= ids, item["q"]  # type: ignore[arg-type]


def test_retrieval_is_not_worse_than_substring_matching_on_any_measure(
    records: list[Record], index: RecordIndex
) -> None:
    queries = labelled_queries()
    ours = quality(lambda q: [h.record.id for h in search(index, q, 10)], queries)
    baseline = quality(lambda q: [r.id for r in substring_search(records, q, 10)], queries)
    for measure, value in ours.items():
        assert value >= baseline[measure], (measure, ours, baseline)
    assert ours["mrr"] >= 0.8, ours


def test_tokens_are_nouns_stems_numbers_and_joined_compounds() -> None:
    terms = tokenize("노원구 송전선로 지중화 진행 상황")
    assert {"노원구", "송전", "선로", "송전선로", "지중"} <= set(terms)
    assert tokenize("2,861명 투입") == ["2,861", "투입"]
    assert "uam" in tokenize("UAM 사업 추진협력")
    assert tokenize("산불이 발생했다") == ["산불", "발생"]  # particles and endings dropped
    assert tokenize("인왕산 산불") == tokenize("인왕산 산불")


def test_secretary_questions_find_the_record_first(index: RecordIndex) -> None:
    def top(query: str) -> str:
        return search(index, query, 1)[0].record.id

    assert top("노원구 송전선로 지중화 진행 상황").startswith("nowon-transmission-line")
    assert top("산불 진화에 헬기 몇 대 투입됐지") == "inwangsan-wildfire-response-2023"
    top_two = {h.record.id for h in search(index, "시정질문 5분 자유발언 처리 건수", 2)}
    assert top_two == {"council-member-questions-2022", "council-session-feedback-2022"}


def test_structured_boosts_lift_the_asked_district_and_are_explained(index: RecordIndex) -> None:
    plain = search(index, "착공식 현장방문", 10)
    in_songpa = search(index, "착공식 현장방문", 10, district="송파구")
    assert in_songpa[0].record.id.startswith("wirye-tram")
    assert "district" in in_songpa[0].matched
    assert plain != in_songpa
    named = search(index, "송파 착공식", 3)
    assert named[0].record.districts == ("송파구",)
    assert "district" in named[0].matched


def test_results_are_deterministic_limited_and_never_unmatched(index: RecordIndex) -> None:
    first = search(index, "임산부 교통비", 5)
    assert first == search(index, "임산부 교통비", 5)
    assert 0 < len(first) <= 5
    assert [h.score for h in first] == sorted((h.score for h in first), reverse=True)
    assert search(index, "임산부 교통비", 0) == []
    assert search(index, "", 5) == []
    assert search(index, "zzqx", 5) == []
    assert len(search(index, "코로나", 500)) <= 50


def _record(record_id: str, sentence: str, **fields: object) -> Record:
    return Record(
        id=record_id,
        kind=RecordKind.EVENT,
        title=sentence,
        document_id="doc",
        section="Ⅱ-1 현장",
        sentence=sentence,
        **fields,  # type: ignore[arg-type]
    )


def test_boosts_weigh_district_place_programme_category_and_area() -> None:
    """With a whitespace tokeniser: the boosts alone decide between equal BM25 scores."""
    records = [
        _record("a", "착공 행사", districts=("노원구",)),
        _record("b", "착공 행사", districts=("송파구",), places=("위례중앙광장",)),
        _record("c", "착공 행사", programmes=("위례트램",), category="groundbreaking"),
        _record("d", "다른 일", districts=("노원구",), policy_area="transport"),
    ]
    index = RecordIndex(records, str.split, "kb-x")
    assert {h.record.id for h in search(index, "착공", 4)} == {"a", "b", "c"}
    in_nowon = search(index, "착공", 4, district="노원구")
    assert (in_nowon[0].record.id, in_nowon[-1].record.id, len(in_nowon)) == ("a", "d", 4)
    assert in_nowon[0].score == pytest.approx(1 + DISTRICT_BOOST)
    assert in_nowon[3].matched == ("district",)
    assert search(index, "착공 위례중앙광장", 1)[0].record.id == "b"
    assert search(index, "착공", 1, programme="위례트램")[0].record.id == "c"
    assert search(index, "착공", 1, category="groundbreaking")[0].record.id == "c"
    ranked = [h.record.id for h in search(index, "일", 4, policy_area="transport")]
    assert ranked == ["d"]
