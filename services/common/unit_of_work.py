"""One transaction per command or event: state changes, outbox and inbox commit together."""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar
from uuid import UUID

from sqlmodel import Session

from schemas.envelope import Envelope
from schemas.events import EventKind
from services.common import inbox, outbox
from services.common.database import SessionFactory


class UnitOfWork:
    """Base unit of work; each service names its outbox and inbox tables."""

    outbox_table: ClassVar[type[outbox.OutboxRecord]]
    inbox_table: ClassVar[type[inbox.InboxRecord] | None] = None

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    @property
    def session(self) -> Session:
        return self._session

    def __enter__(self) -> Any:
        self._session = self._sessions()
        self._staged: list[dict[str, Any]] = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() discards what was not committed without expiring loaded objects,
        # so what a handler read stays usable after the unit of work ends.
        if exc_type is not None:
            self._session.rollback()
        self._session.close()

    def commit(self) -> None:
        """Write the staged events, then commit them with the change that caused them."""
        staged, self._staged = self._staged, []
        outbox.insert_staged(self._session, self.outbox_table, staged)
        self._session.commit()

    def publish(self, kind: EventKind[Any], envelope: Envelope[Any]) -> None:
        """Stage an event; it is written at the commit and leaves with it or not at all."""
        self._staged.append(outbox.staged_row(kind, envelope))

    def already_handled(self, event_id: UUID) -> bool:
        assert self.inbox_table is not None, "this service consumes no events"
        return inbox.already_handled(self._session, self.inbox_table, event_id)

    def remember(self, envelope: Envelope[Any]) -> None:
        assert self.inbox_table is not None, "this service consumes no events"
        inbox.remember(self._session, self.inbox_table, envelope.id, envelope.type)
