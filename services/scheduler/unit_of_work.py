"""The scheduler's transaction boundary: its repository, outbox and inbox together."""

from __future__ import annotations

from services.common.unit_of_work import UnitOfWork
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.repository import SchedulerRepository


class SchedulerUnitOfWork(UnitOfWork):
    outbox_table = SchedulerOutbox

    def __enter__(self) -> SchedulerUnitOfWork:
        super().__enter__()
        self.repo = SchedulerRepository(self.session)
        return self
