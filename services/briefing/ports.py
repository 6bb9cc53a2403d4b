"""What the briefing's handlers and entrypoints need, so tests can bring their own fakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from services.briefing.domain.knowledge import KnowledgeBase
from services.briefing.domain.talking_points import StoredBriefing
from services.briefing.settings import BriefingSettings
from services.common.ports import UnitOfWorkPort


class BriefingRepository(Protocol):
    def exists(self, stop_id: str, stop_version: int) -> bool: ...

    def add(self, stored: StoredBriefing) -> None: ...

    def for_stop(self, stop_id: str) -> list[StoredBriefing]:
        """Every version's briefing for a stop, newest first."""
        ...


BriefingUnitOfWork = UnitOfWorkPort[BriefingRepository]
"""The transaction handlers run in."""


class BriefingPorts(Protocol):
    """What the consumers and routes use of the running service."""

    @property
    def settings(self) -> BriefingSettings: ...

    @property
    def uow(self) -> Callable[[], BriefingUnitOfWork]: ...

    @property
    def knowledge(self) -> KnowledgeBase: ...

    def events_staged(self) -> None:
        """New events wait in the outbox: publish them soon."""
        ...
