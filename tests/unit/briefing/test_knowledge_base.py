"""The knowledge base file: faithful to the seed reports, valid codes, content-hash version."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_DISTRICTS, PolicyArea, VisitCategory
from services.briefing.adapters.knowledge_file import load_knowledge_base
from services.briefing.domain import knowledge, talking_points
from services.briefing.domain.knowledge import (
    CATEGORY_LABELS,
    POLICY_AREA_LABELS,
    KnowledgeBase,
)

PACKAGED = Path(knowledge.__file__).parents[1] / "knowledge" / "seoul_secretariat.json"
DOCUMENTS = {
    "000_940ed3c53537b80e": (date(2023, 4, 19), "서울시장 비서실 주요업무보고 (2023-04-19)"),
    "002_c52fe1ec9ad84633": (date(2022, 3, 31), "서울시장 비서실 주요업무보고 (2022-03-31)"),
}
REQUIRED_IDS = {
    "disaster-safety-visits-2023",
    "inwangsan-wildfire-2023",
    "inwangsan-wildfire-response-2023",
    "citizen-safety-district-heads-meeting-2023",
    "disabled-athletes-meeting-2023",
    "humanities-for-hope-2023",
    "nowon-transmission-line-undergrounding-2023",
    "wirye-tram-groundbreaking-2023",
    "cabinet-meeting-attendance-2023",
    "cabinet-meeting-jeonse-fraud-2023",
    "mou-gyeongbuk-2023",
    "mou-jeju-2023",
    "mou-sejong-daejeon-2023",
    "great-hangang-project-2023",
    "creative-admin-work-abolition-2023",
    "council-member-questions-2022",
    talking_points.PRESS_NOTICE_RULE_ID,
    talking_points.IMPORTANT_EVENT_RULE_ID,
    "district-heads-council-2022",
    "mayor-district-head-meetings-2021",
}


def collapse(text: str) -> str:
    """Whitespace runs (the reports wrap lines mid-sentence) count as one space."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def seed_texts(shared_dir: Path) -> dict[str, str]:
    files = {doc: shared_dir / "seeds" / f"{doc}.txt" for doc in DOCUMENTS}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        pytest.fail(f"seed reports needed to check excerpts against are missing: {missing}")
    return {doc: collapse(path.read_text(encoding="utf-8")) for doc, path in files.items()}


def test_packaged_file_loads_with_25_to_40_entries(kb: KnowledgeBase) -> None:
    assert 25 <= len(kb.entries) <= 40
    assert load_knowledge_base(PACKAGED) == kb


def test_ids_are_unique_stable_slugs(kb: KnowledgeBase) -> None:
    ids = [e.id for e in kb.entries]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), ids
    assert REQUIRED_IDS <= set(ids), REQUIRED_IDS - set(ids)


def test_domain_labels_cover_exactly_the_contract_vocabulary() -> None:
    assert set(CATEGORY_LABELS) == {c.value for c in VisitCategory}
    assert set(POLICY_AREA_LABELS) == {p.value for p in PolicyArea}


def test_codes_districts_and_keywords_are_valid(kb: KnowledgeBase) -> None:
    districts = set(SEOUL_DISTRICTS) | {OUTSIDE_SEOUL}
    for entry in kb.entries:
        assert entry.categories <= set(CATEGORY_LABELS), entry.id
        assert entry.policy_areas and entry.policy_areas <= set(POLICY_AREA_LABELS), entry.id
        assert entry.districts <= districts, entry.id
        assert entry.keywords and all(k.strip() for k in entry.keywords), entry.id


def test_sources_name_the_right_report(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        report_date, title = DOCUMENTS[entry.source.document_id]
        assert entry.source.report_date == report_date, entry.id
        assert entry.source.document_title == title, entry.id
        assert entry.source.section.startswith("Ⅱ-"), entry.id
        assert entry.title.strip() and entry.text.strip(), entry.id
        assert 0 < len(entry.source.excerpt) <= 200, entry.id


def test_every_excerpt_is_quoted_verbatim_from_its_report(
    kb: KnowledgeBase, seed_texts: dict[str, str]
) -> None:
    not_found = [
        e.id
        for e in kb.entries
        if collapse(e.source.excerpt) not in seed_texts[e.source.document_id]
    ]
    assert not_found == []


def test_figures_in_texts_are_copied_from_the_reports(
    kb: KnowledgeBase, seed_texts: dict[str, str]
) -> None:
    """Every thousands-separated figure (2,861 / 41,000 ...) occurs in its report."""
    invented = [
        (e.id, figure)
        for e in kb.entries
        for figure in re.findall(r"\d{1,3}(?:,\d{3})+", e.text)
        if figure not in seed_texts[e.source.document_id]
    ]
    assert invented == []


def test_key_figures_are_exact(kb: KnowledgeBase) -> None:
    texts = {e.id: e.text for e in kb.entries}
    assert "2,861명" in texts["inwangsan-wildfire-response-2023"]
    assert "188대" in texts["inwangsan-wildfire-response-2023"]
    assert "11:53" in texts["inwangsan-wildfire-2023"]
    assert "4.1Km" in texts["nowon-transmission-line-undergrounding-2023"]
    assert "12회" in texts["cabinet-meeting-attendance-2023"]
    assert "3건" in texts["cabinet-meeting-attendance-2023"]
    assert "55개" in texts["great-hangang-project-2023"]
    assert "79명" in texts["council-member-questions-2022"]
    assert "186건" in texts["council-member-questions-2022"]


def test_version_is_stable_across_loads(kb: KnowledgeBase) -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", kb.version)
    assert load_knowledge_base().version == kb.version


def test_version_ignores_formatting_but_follows_content(tmp_path: Path) -> None:
    document = json.loads(PACKAGED.read_text(encoding="utf-8"))
    original = load_knowledge_base().version

    reformatted = tmp_path / "reformatted.json"
    reformatted.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    assert load_knowledge_base(reformatted).version == original

    document["entries"][0]["text"] += " 추가 문장."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_knowledge_base(changed).version != original


@pytest.mark.parametrize(
    ("field", "value"),
    [("categories", ["not_a_category"]), ("policy_areas", ["sports"]), ("keywords", "산불")],
)
def test_invalid_entries_are_refused(tmp_path: Path, field: str, value: object) -> None:
    document = json.loads(PACKAGED.read_text(encoding="utf-8"))
    document["entries"][0][field] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="invalid knowledge base"):
        load_knowledge_base(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    document = json.loads(PACKAGED.read_text(encoding="utf-8"))
    document["entries"].append(document["entries"][0])
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_knowledge_base(path)


@pytest.mark.parametrize("module", [knowledge, talking_points])
def test_domain_modules_import_no_io_or_framework_code(module: object) -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    stdlib = {
        "__future__",
        "collections.abc",
        "dataclasses",
        "datetime",
        "hashlib",
        "json",
        "typing",
        "zoneinfo",
    }
    allowed = {"schemas.vocabulary"}  # shared codes (StrEnums, the home zone), no I/O
    outside = {m for m in imported if m not in stdlib | allowed}
    assert all(m.startswith("services.briefing.domain.") for m in outside), outside
