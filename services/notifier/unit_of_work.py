"""The notifier's transaction boundary."""

from __future__ import annotations

from services.common.unit_of_work import UnitOfWork
from services.notifier.adapters.orm import NotifierInbox, NotifierOutbox
from services.notifier.adapters.repository import NotifierRepository


class NotifierUnitOfWork(UnitOfWork):
    outbox_table = NotifierOutbox
    inbox_table = NotifierInbox

    def __enter__(self) -> NotifierUnitOfWork:
        super().__enter__()
        self.repo = NotifierRepository(self.session)
        return self
