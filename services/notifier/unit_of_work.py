"""The notifier's transaction boundary, on SQL."""

from __future__ import annotations

from services.common.database import SessionFactory
from services.common.unit_of_work import UnitOfWork
from services.notifier.adapters.orm import NotifierInbox, NotifierOutbox
from services.notifier.adapters.repository import SqlNotifierRepository


class SqlNotifierUnitOfWork(UnitOfWork):
    outbox_table = NotifierOutbox
    inbox_table = NotifierInbox

    def __init__(self, sessions: SessionFactory, office_id: str) -> None:
        super().__init__(sessions)
        self.office_id = office_id

    def __enter__(self) -> SqlNotifierUnitOfWork:
        super().__enter__()
        self.repo = SqlNotifierRepository(self.session, self.office_id)
        return self
