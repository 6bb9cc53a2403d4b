"""The structured records: faithful to the seed reports (verbatim sentences, figures copied
from them, sections that exist), thorough (every dated visit of the reports), valid codes."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_DISTRICTS, PolicyArea, VisitCategory
from services.briefing.adapters.record_files import load_record_sets, parse_record_set
from services.briefing.domain import records as records_module
from services.briefing.domain import retrieval as retrieval_module
from services.briefing.domain.labels import CATEGORY_LABELS, POLICY_AREA_LABELS
from services.briefing.domain.records import (
    KnowledgeRecords,
    Record,
    RecordKind,
    RecordSet,
    collapse,
    content_hash,
    first_number,
)

SOURCES = Path(records_module.__file__).parents[1] / "knowledge" / "records"
DOCUMENTS = {
    "000_940ed3c53537b80e": (date(2023, 4, 19), "서울시장 비서실 주요업무보고 (2023-04-19)"),
    "002_c52fe1ec9ad84633": (date(2022, 3, 31), "서울시장 비서실 주요업무보고 (2022-03-31)"),
}
KEY_FIGURES = {
    "inwangsan-wildfire-response-2023": {"2,861명", "15대", "188대"},
    "nowon-transmission-line-background-2023": {"4.1Km"},
    "cabinet-meeting-attendance-2023": {"12회", "3건"},
    "great-hangang-project-2023": {"55개"},
    "council-member-questions-2022": {"79명", "186건"},
    "infertility-treatment-support-2023": {"41,000건"},
    "covid-beds-achieved-2022": {"6,159병상"},
}
HEADING = re.compile(r"^\s*(\d [^\d]|【|\s*(주요 )?추진실적)")
"""Section headings ('2 인 력 현 황 (기준 ...)') and table captions date a section, not a fact."""
SENSITIVE = {
    "inwangsan-wildfire-2023",
    "inwangsan-wildfire-response-2023",
    "cabinet-meeting-jeonse-fraud-2023",
}


@pytest.fixture(scope="module")
def record_sets() -> list[RecordSet]:
    return load_record_sets()


@pytest.fixture(scope="module")
def records(record_sets: list[RecordSet]) -> list[Record]:
    return [r for s in record_sets for r in s.records]


@pytest.fixture(scope="module")
def seed_texts(shared_dir: Path) -> dict[str, str]:
    files = {doc: shared_dir / "seeds" / f"{doc}.txt" for doc in DOCUMENTS}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        pytest.fail(f"seed reports needed to check sentences against are missing: {missing}")
    return {doc: path.read_text(encoding="utf-8") for doc, path in files.items()}


def test_one_record_set_per_report_and_well_over_a_hundred_records(
    record_sets: list[RecordSet], records: list[Record]
) -> None:
    assert {s.document.id for s in record_sets} == set(DOCUMENTS)
    for record_set in record_sets:
        report_date, title = DOCUMENTS[record_set.document.id]
        assert (record_set.document.report_date, record_set.document.title) == (report_date, title)
        assert record_set.name == record_set.document.id
        assert len(record_set.records) >= 80, record_set.name
    assert len(records) >= 200
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    assert {r.kind for r in records} == set(RecordKind)


def test_every_sentence_is_verbatim_from_its_report(
    records: list[Record], seed_texts: dict[str, str]
) -> None:
    collapsed = {doc: collapse(text) for doc, text in seed_texts.items()}
    not_found = [r.id for r in records if collapse(r.sentence) not in collapsed[r.document_id]]
    assert not_found == []


def test_every_figure_is_written_in_its_sentence_with_its_value(records: list[Record]) -> None:
    wrong = [
        (r.id, f.text)
        for r in records
        for f in r.figures
        if collapse(f.text) not in collapse(r.sentence) or first_number(f.text) != f.value
    ]
    assert wrong == []
    figures = {r.id: {f.text for f in r.figures} for r in records}
    for record_id, expected in KEY_FIGURES.items():
        assert expected <= figures[record_id], record_id


def test_figure_records_carry_figures_and_numbers_in_sentences_are_from_the_report(
    records: list[Record], seed_texts: dict[str, str]
) -> None:
    assert all(r.figures for r in records if r.kind is RecordKind.FIGURE)
    for record in records:
        for number in re.findall(r"\d{1,3}(?:,\d{3})+", record.sentence):
            assert number in seed_texts[record.document_id], (record.id, number)


def test_sections_exist_in_their_report(records: list[Record], seed_texts: dict[str, str]) -> None:
    squeezed = {doc: re.sub(r"\s+", "", text) for doc, text in seed_texts.items()}
    for record in records:
        heading, *subheadings = record.section.split(" > ")
        assert re.fullmatch(r"[ⅠⅡ]-\d .+", heading), record.id
        for part in [heading.split(" ", 1)[1], *subheadings]:
            assert re.sub(r"\s+", "", part) in squeezed[record.document_id], (record.id, part)


def test_every_dated_line_of_the_reports_is_in_a_record(
    records: list[Record], seed_texts: dict[str, str]
) -> None:
    """Each line that dates something (’23. 4. 2. / ′21년 5회 / ′21.4월) is in some record,
    headings and table captions aside; so is each `일시/장소` line (a visit, MOU, briefing)."""
    for doc, text in seed_texts.items():
        dated = [
            collapse(line).lstrip("∘-○‣·ㅇ※ ")
            for line in text.splitlines()
            if re.search(r"[’′]\d\d[.년]", line) and not HEADING.match(line)
        ]
        assert len(dated) >= 20, doc
        sentences = [collapse(r.sentence) for r in records if r.document_id == doc]
        uncovered = [line for line in dated if not any(line in s or s in line for s in sentences)]
        assert uncovered == [], doc
    visits = [
        collapse(line).lstrip("∘ ")
        for line in seed_texts["000_940ed3c53537b80e"].splitlines()
        if "일시/장소" in line
    ]
    sentences = [collapse(r.sentence) for r in records]
    assert len(visits) == 13
    assert all(any(v in s for s in sentences) for v in visits)


def test_dated_events_carry_their_date_and_time(records: list[Record]) -> None:
    by_id = {r.id: r for r in records}
    assert (by_id["inwangsan-wildfire-2023"].date, by_id["inwangsan-wildfire-2023"].time) == (
        "2023-04-02",
        "11:53",
    )
    assert by_id["wirye-tram-groundbreaking-2023"].date == "2023-04-13"
    assert by_id["mou-sejong-daejeon-2023"].time == "11:00"
    events = [r for r in records if r.kind is RecordKind.EVENT]
    assert sum(1 for r in events if r.date) >= 0.9 * len(events)


def test_codes_districts_and_places_are_valid(records: list[Record]) -> None:
    districts = set(SEOUL_DISTRICTS) | {OUTSIDE_SEOUL}
    for record in records:
        assert set(record.districts) <= districts, record.id
        assert record.category is None or record.category in CATEGORY_LABELS, record.id
        assert record.policy_area in POLICY_AREA_LABELS, record.id
        for place in record.places:
            assert place.replace(" ", "") in record.sentence.replace(" ", ""), (record.id, place)


def test_incidents_and_disputes_are_marked_sensitive(records: list[Record]) -> None:
    sensitive = {r.id for r in records if r.sensitive}
    assert SENSITIVE <= sensitive
    assert len(sensitive) < len(records) / 10


def test_content_hash_ignores_order_and_follows_content(records: list[Record]) -> None:
    assert content_hash(reversed(records)) == content_hash(records)
    first = records[0]
    changed = Record.from_dict({**first.to_dict(), "title": first.title + " (수정)"})
    assert content_hash([changed, *records[1:]]) != content_hash(records)


def _document(**changes: object) -> dict[str, object]:
    document = json.loads((SOURCES / "000_940ed3c53537b80e.json").read_text(encoding="utf-8"))
    document["records"][0].update(changes)
    return document


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "not_a_category"}, "category"),
        ({"policy_area": "sports"}, "policy_area"),
        ({"date": "2023/04/02"}, "date"),
        ({"time": "25:00"}, "time"),
        ({"kind": "rumour"}, "rumour"),
        ({"districts": "종로구"}, "districts"),
        ({"surprise": 1}, "unknown fields"),
        ({"figures": [{"text": "999명", "value": 999, "unit": "명", "label": "x"}]}, "원문 문장"),
        ({"figures": [{"text": "34", "value": 35, "unit": "명", "label": "x"}]}, "값이"),
    ],
)
def test_invalid_records_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_record_set(_document(**changes))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    document = _document()
    document["records"].append(document["records"][0])  # type: ignore[attr-defined]
    (tmp_path / "dup.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    record_set = load_record_sets(tmp_path)[0]
    with pytest.raises(ValueError, match="duplicate"):
        KnowledgeRecords(records=record_set.records)


@pytest.mark.parametrize("module", [records_module, retrieval_module])
def test_domain_modules_import_no_io_or_framework_code(module: object) -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    stdlib = {"__future__", "collections.abc", "dataclasses", "datetime", "enum", "hashlib"}
    stdlib |= {"json", "re", "typing"}
    allowed = {"schemas.vocabulary", "bm25s", "numpy"}  # codes; BM25 arithmetic, no I/O
    outside = {m for m in imported if m not in stdlib | allowed}
    assert all(m.startswith("services.briefing.domain.") for m in outside), outside


def test_domain_labels_cover_exactly_the_contract_vocabulary() -> None:
    assert set(CATEGORY_LABELS) == {c.value for c in VisitCategory}
    assert set(POLICY_AREA_LABELS) == {p.value for p in PolicyArea}
