"""What the briefing's handlers and entrypoints need, so tests can bring their own fakes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from schemas.member_requests import RequestStatus
from services.briefing.domain.briefing_doc import PastVisit
from services.briefing.domain.council import CouncilDirectory
from services.briefing.domain.member_requests import MemberRequest
from services.briefing.domain.records import KnowledgeRecords
from services.briefing.domain.talking_points import StoredBriefing
from services.briefing.settings import BriefingSettings
from services.common.ports import UnitOfWorkPort


class BriefingRepository(Protocol):
    def exists(self, stop_id: str, stop_version: int) -> bool: ...

    def add(self, stored: StoredBriefing) -> None: ...

    def for_stop(self, stop_id: str) -> list[StoredBriefing]:
        """Every version's briefing for a stop, newest first."""
        ...

    def past_visits(
        self, district: str, before: datetime, *, exclude_stop: str, limit: int = 3
    ) -> list[PastVisit]:
        """The mayor's latest earlier stops in a district (not withdrawn), newest first."""
        ...

    def for_period(self, start: datetime, end: datetime) -> list[StoredBriefing]:
        """The latest briefing of every stop starting in [start, end), by start time."""
        ...


class RecordSource(Protocol):
    """The knowledge records a briefing cites, and free-text ranking when there is one."""

    def snapshot(self) -> KnowledgeRecords: ...

    def free_text(self, query: str, limit: int, *, district: str | None) -> list[str]:
        """Ids of the records best matching the query, best first (may be empty)."""
        ...


class MemberRequestRepository(Protocol):
    def get(self, request_id: str) -> MemberRequest | None: ...

    def save(self, request: MemberRequest) -> None:
        """Insert or update; history steps already stored are kept, new ones appended."""
        ...

    def find(
        self,
        *,
        member_id: str | None = None,
        district: str | None = None,
        statuses: Sequence[RequestStatus] | None = None,
    ) -> list[MemberRequest]:
        """Matching requests, oldest first."""
        ...


class BriefingUnitOfWork(UnitOfWorkPort[BriefingRepository], Protocol):
    """The transaction handlers run in: briefings and members' requests together."""

    @property
    def requests(self) -> MemberRequestRepository: ...


class BriefingPorts(Protocol):
    """What the consumers and routes use of the running service."""

    @property
    def settings(self) -> BriefingSettings: ...

    @property
    def uow(self) -> Callable[[], BriefingUnitOfWork]: ...

    @property
    def council(self) -> CouncilDirectory: ...

    @property
    def record_source(self) -> RecordSource: ...

    def events_staged(self) -> None:
        """New events wait in the outbox: publish them soon."""
        ...
