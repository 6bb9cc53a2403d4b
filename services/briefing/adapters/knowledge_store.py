"""The knowledge base as the service keeps it: records in the database, versioned, searchable.

Every change (a source file that changed, an operator's added or corrected record) is one
transaction that writes the records and the next version `kb-<n>`. The search index is
rebuilt when the stored version differs from the one it was built for, so every replica
answers from the version it names.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from services.briefing.adapters.kiwi_tokenizer import tokenize
from services.briefing.adapters.knowledge_repository import Origin, SqlKnowledgeRepository
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.domain.records import (
    Document,
    KnowledgeRecords,
    KnowledgeVersion,
    Record,
    RecordSet,
    content_hash,
)
from services.briefing.domain.retrieval import Hit, RecordIndex, Tokenizer, search
from services.common.database import SessionFactory
from services.common.errors import InvalidInput, NotFound, StateConflict


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits and the knowledge base version they come from."""

    version: str
    hits: list[Hit]
    documents: Mapping[str, Document]


class KnowledgeStore:
    """Loads the source files, keeps versions, answers searches and operators' changes."""

    def __init__(
        self,
        sessions: SessionFactory,
        office_id: str,
        *,
        sources_dir: Path | None = None,
        tokenizer: Tokenizer = tokenize,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self.office_id = office_id
        self.sources_dir = sources_dir
        self.tokenizer = tokenizer
        self.clock = clock
        self._index: RecordIndex | None = None
        self._documents: Mapping[str, Document] = {}
        self._lock = threading.Lock()

    def _repo(self, session: Session) -> SqlKnowledgeRepository:
        return SqlKnowledgeRepository(session, self.office_id)

    def sync_sources(self, record_sets: Sequence[RecordSet] | None = None) -> str | None:
        """Load the source files whose records changed since last loaded; operators' edits stay.

        Returns the new version, or None when nothing changed.
        """
        sets = load_record_sets(self.sources_dir) if record_sets is None else record_sets
        now = self.clock()
        with self._sessions() as session:
            repo = self._repo(session)
            known = repo.source_hashes()
            changed = [s for s in sets if known.get(s.name) != content_hash(s.records)]
            if not changed:
                return None
            for record_set in changed:
                repo.load_source(record_set, now)
                repo.save_record_set(record_set, content_hash(record_set.records), now)
            names = ", ".join(s.name for s in changed)
            version = _bump(repo, f"원문 기록 적재: {names}", None, now)
            session.commit()
        return version

    def snapshot(self) -> KnowledgeRecords:
        """Every record and document, at the current version."""
        with self._sessions() as session:
            repo = self._repo(session)
            return KnowledgeRecords(
                records=tuple(repo.records()),
                documents={doc_id: doc for doc_id, (doc, _) in repo.documents().items()},
                version=_label(repo.latest_version()),
            )

    def version(self) -> str:
        with self._sessions() as session:
            return _label(self._repo(session).latest_version())

    def get(self, record_id: str) -> tuple[Record, KnowledgeRecords]:
        """A record and the documents/version it is read at; NotFound if there is none."""
        snapshot = self.snapshot()
        record = snapshot.get(record_id)
        if record is None:
            raise NotFound("지식베이스 기록", record_id)
        return record, snapshot

    def search(self, query: str, limit: int, **filters: str | None) -> SearchResult:
        """Ranked records for a query, from the index of the current version."""
        index, documents = self._current_index()
        return SearchResult(index.version, search(index, query, limit, **filters), documents)

    def add(self, record: Record) -> str:
        """Add an operator's record; StateConflict if its id exists. Returns the new version."""
        return self._write(record, creating=True)

    def replace(self, record_id: str, record: Record) -> str:
        """Correct a record; NotFound if it does not exist. Returns the new version."""
        if record.id != record_id:
            raise InvalidInput("id", f"경로의 id({record_id})와 본문의 id가 다릅니다")
        return self._write(record, creating=False)

    def _write(self, record: Record, *, creating: bool) -> str:
        now = self.clock()
        with self._sessions() as session:
            repo = self._repo(session)
            exists = repo.get(record.id) is not None
            if creating and exists:
                raise StateConflict(f"지식베이스 기록 {record.id!r}이(가) 이미 있습니다")
            if not creating and not exists:
                raise NotFound("지식베이스 기록", record.id)
            documents = repo.documents()
            if record.document_id not in documents:
                raise InvalidInput("document_id", f"알 수 없는 문서입니다: {sorted(documents)}")
            repo.put(record, documents[record.document_id][1], Origin.OPERATOR, now)
            session.flush()
            reason = "기록 추가" if creating else "기록 수정"
            version = _bump(repo, reason, record.id, now)
            session.commit()
        return version

    def _current_index(self) -> tuple[RecordIndex, Mapping[str, Document]]:
        version = self.version()
        with self._lock:
            if self._index is None or self._index.version != version:
                snapshot = self.snapshot()
                self._index = RecordIndex(snapshot.records, self.tokenizer, snapshot.version)
                self._documents = snapshot.documents
            return self._index, self._documents


def _bump(repo: SqlKnowledgeRepository, reason: str, record_id: str | None, now: datetime) -> str:
    latest = repo.latest_version()
    version = KnowledgeVersion(
        number=(latest.number if latest else 0) + 1,
        content_hash=content_hash(repo.records()),
        reason=reason,
        record_id=record_id,
    )
    repo.add_version(version, now)
    return version.label


def _label(version: KnowledgeVersion | None) -> str:
    return "kb-0" if version is None else version.label
