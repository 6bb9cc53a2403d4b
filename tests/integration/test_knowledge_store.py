"""The knowledge store on SQLite and PostgreSQL: the source files load once, every change is a
new `kb-<n>`, operators' corrections survive a reload of the files, offices stay apart.

A whitespace tokeniser keeps these tests fast; kiwi's ranking is tested in tests/unit."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from services.briefing.adapters.knowledge_store import KnowledgeStore
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.bootstrap import MIGRATIONS, VERSION_TABLE
from services.briefing.domain.records import content_hash
from services.common.database import make_engine, migrate, session_factory

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _store(database_url: str, office_id: str = "seoul") -> KnowledgeStore:
    engine = make_engine(database_url)
    migrate(engine, MIGRATIONS, VERSION_TABLE)
    return KnowledgeStore(
        session_factory(engine), office_id, tokenizer=str.split, clock=lambda: NOW
    )


def test_files_load_once_and_operator_corrections_survive_a_reload(database_url: str) -> None:
    store = _store(database_url)
    sets = load_record_sets()
    assert store.version() == "kb-0"
    assert store.sync_sources(sets) == "kb-1"
    assert store.sync_sources(sets) is None
    snapshot = store.snapshot()
    assert snapshot.version == "kb-1"
    assert len(snapshot.records) == sum(len(s.records) for s in sets)
    assert content_hash(snapshot.records) == content_hash(r for s in sets for r in s.records)
    assert snapshot.documents["000_940ed3c53537b80e"].title.endswith("(2023-04-19)")

    edited, _ = store.get("wirye-tram-route-2023")
    assert store.replace(edited.id, dataclasses.replace(edited, title="운영자 수정")) == "kb-2"

    first = sets[0]
    changed = tuple(
        dataclasses.replace(r, title=r.title + " (파일 수정)")
        for r in first.records
        if r.id != "staff-2023"
    )
    reloaded = [dataclasses.replace(first, records=changed), *sets[1:]]
    assert store.sync_sources(reloaded) == "kb-3"
    after = store.snapshot()
    by_id = {r.id: r for r in after.records}
    assert by_id["wirye-tram-route-2023"].title == "운영자 수정"
    assert by_id["inwangsan-wildfire-2023"].title.endswith("(파일 수정)")
    assert "staff-2023" not in by_id
    assert after.version == "kb-3"

    result = store.search("운영자", 3)
    assert result.version == "kb-3"
    assert [h.record.id for h in result.hits] == ["wirye-tram-route-2023"]
    assert result.documents["000_940ed3c53537b80e"].report_date.isoformat() == "2023-04-19"


def test_offices_have_their_own_knowledge_base(database_url: str) -> None:
    seoul = _store(database_url)
    assert seoul.sync_sources() == "kb-1"
    busan = KnowledgeStore(seoul._sessions, "busan", tokenizer=str.split, clock=lambda: NOW)
    assert busan.version() == "kb-0"
    assert busan.snapshot().records == ()
    assert busan.sync_sources() == "kb-1"
    assert seoul.version() == "kb-1"
