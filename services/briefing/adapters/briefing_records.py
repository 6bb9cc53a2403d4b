"""Where a briefing's records come from: the knowledge store (versioned, searchable) or,
when the service runs without one, the packaged record files."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

from services.briefing.adapters.kiwi_tokenizer import tokenize
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.domain.records import KnowledgeRecords, Record, content_hash
from services.briefing.domain.retrieval import RecordIndex, search


class _Hit(Protocol):
    @property
    def record(self) -> Record: ...


class _SearchResult(Protocol):
    @property
    def hits(self) -> Sequence[_Hit]: ...


class _Store(Protocol):
    def snapshot(self) -> KnowledgeRecords: ...

    def search(self, query: str, limit: int, **filters: str | None) -> _SearchResult: ...


class StoreRecords:
    """Records and free-text ranking from the knowledge store (what the service runs with)."""

    def __init__(self, store: _Store) -> None:
        self.store = store

    def snapshot(self) -> KnowledgeRecords:
        return self.store.snapshot()

    def free_text(self, query: str, limit: int, *, district: str | None) -> list[str]:
        hits = self.store.search(query, limit, district=district).hits
        return [str(h.record.id) for h in hits]


class FileRecords:
    """Records read once from the source files, ranked by the same BM25 search as the store
    (the index is built on first use: the Korean tokeniser takes about a second to load)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    @cached_property
    def _snapshot(self) -> KnowledgeRecords:
        sets = load_record_sets(self.directory)
        records = tuple(r for s in sets for r in s.records)
        return KnowledgeRecords(
            records=records,
            documents={s.document.id: s.document for s in sets},
            version=f"files-{content_hash(records)}",
        )

    def snapshot(self) -> KnowledgeRecords:
        return self._snapshot

    @cached_property
    def _index(self) -> RecordIndex:
        snapshot = self._snapshot
        return RecordIndex(snapshot.records, tokenize, snapshot.version)

    def free_text(self, query: str, limit: int, *, district: str | None) -> list[str]:
        return [h.record.id for h in search(self._index, query, limit, district=district)]
