"""In-memory fakes of the briefing's own ports (repositories), for fast handler tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from schemas.envelope import Envelope
from schemas.events import EventKind
from schemas.member_requests import RequestStatus
from services.briefing.adapters.record_files import load_record_sets
from services.briefing.domain.briefing_doc import PastVisit
from services.briefing.domain.member_requests import MemberRequest
from services.briefing.domain.records import KnowledgeRecords
from services.briefing.domain.talking_points import StoredBriefing


class FakeMemberRequestRepository:
    def __init__(self) -> None:
        self.stored: dict[str, MemberRequest] = {}

    def get(self, request_id: str) -> MemberRequest | None:
        return self.stored.get(request_id)

    def save(self, request: MemberRequest) -> None:
        self.stored[request.id] = request

    def find(
        self,
        *,
        member_id: str | None = None,
        district: str | None = None,
        statuses: Sequence[RequestStatus] | None = None,
    ) -> list[MemberRequest]:
        found = [
            r
            for r in self.stored.values()
            if (member_id is None or r.member_id == member_id)
            and (district is None or r.district == district)
            and (statuses is None or r.status in statuses)
        ]
        return sorted(found, key=lambda r: (r.recorded_at, r.id))


def past_visits(
    stored: Sequence[StoredBriefing], district: str, before: datetime, exclude_stop: str, limit: int
) -> list[PastVisit]:
    """What the SQL repository answers, over a list."""
    latest: dict[str, StoredBriefing] = {}
    for s in sorted(stored, key=lambda s: s.briefing.stop_version, reverse=True):
        doc = s.document
        if doc and doc.district == district and doc.starts_at < before:
            latest.setdefault(s.briefing.stop_id, s)
    visits = [
        PastVisit(
            s.briefing.stop_id, s.title, s.document.overview_text("방문 목적"), s.document.starts_at
        )
        for s in latest.values()
        if s.document and not s.document.withdrawn and s.briefing.stop_id != exclude_stop
    ]
    return sorted(visits, key=lambda v: v.starts_at, reverse=True)[:limit]


def for_period(
    stored: Sequence[StoredBriefing], start: datetime, end: datetime
) -> list[StoredBriefing]:
    latest: dict[str, StoredBriefing] = {}
    for s in sorted(stored, key=lambda s: s.briefing.stop_version, reverse=True):
        if s.document and start <= s.document.starts_at < end:
            latest.setdefault(s.briefing.stop_id, s)
    return sorted(latest.values(), key=lambda s: (s.document.starts_at, s.briefing.stop_id))  # type: ignore[union-attr]


class FakeBriefingRepository:
    def __init__(self) -> None:
        self.stored: list[StoredBriefing] = []

    def exists(self, stop_id: str, stop_version: int) -> bool:
        return any(
            (s.briefing.stop_id, s.briefing.stop_version) == (stop_id, stop_version)
            for s in self.stored
        )

    def add(self, stored: StoredBriefing) -> None:
        self.stored.append(stored)

    def for_stop(self, stop_id: str) -> list[StoredBriefing]:
        mine = [s for s in self.stored if s.briefing.stop_id == stop_id]
        return sorted(mine, key=lambda s: s.briefing.stop_version, reverse=True)

    def past_visits(
        self, district: str, before: datetime, *, exclude_stop: str, limit: int = 3
    ) -> list[PastVisit]:
        return past_visits(self.stored, district, before, exclude_stop, limit)

    def for_period(self, start: datetime, end: datetime) -> list[StoredBriefing]:
        return for_period(self.stored, start, end)


class FakeUnitOfWork:
    """Staged events count as published only once committed; the inbox is a set."""

    office_id = "seoul"

    def __init__(self) -> None:
        self.repo = FakeBriefingRepository()
        self.requests = FakeMemberRequestRepository()
        self.published: list[Envelope[Any]] = []
        self._staged: list[Envelope[Any]] = []
        self._handled: set[UUID] = set()

    def __enter__(self) -> FakeUnitOfWork:
        self._staged = []
        return self

    def __exit__(self, *_: object) -> None:
        self._staged = []

    def commit(self) -> None:
        self.published += self._staged
        self._staged = []

    def publish(self, kind: EventKind[Any], envelope: Envelope[Any]) -> None:
        assert envelope.type == kind.type
        self._staged.append(envelope)

    def already_handled(self, event_id: UUID) -> bool:
        return event_id in self._handled

    def remember(self, envelope: Envelope[Any]) -> None:
        self._handled.add(envelope.id)


class PackagedRecords:
    """The packaged record files as a fixed `kb-1` snapshot, without free-text ranking (no
    Korean tokeniser to load), for handler tests that need cited records."""

    def __init__(self) -> None:
        sets = load_record_sets()
        self._snapshot = KnowledgeRecords(
            records=tuple(r for s in sets for r in s.records),
            documents={s.document.id: s.document for s in sets},
            version="kb-1",
        )

    def snapshot(self) -> KnowledgeRecords:
        return self._snapshot

    def free_text(self, query: str, limit: int, *, district: str | None) -> list[str]:
        return []
