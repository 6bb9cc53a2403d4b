"""The unit-of-work port every service's handlers are written against, so tests can fake it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from uuid import UUID

from schemas.envelope import Envelope
from schemas.events import EventKind

R_co = TypeVar("R_co", covariant=True)


class UnitOfWorkPort(Protocol[R_co]):
    """One transaction of one office: the repository's changes, the events they cause
    (outbox) and the events handled (inbox) commit together or not at all."""

    office_id: str

    @property
    def repo(self) -> R_co: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def publish(self, kind: EventKind[Any], envelope: Envelope[Any]) -> None:
        """Stage an event; it leaves with the commit or not at all."""
        ...

    def already_handled(self, event_id: UUID) -> bool: ...

    def remember(self, envelope: Envelope[Any]) -> None: ...
