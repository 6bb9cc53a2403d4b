"""The scheduler's transaction boundary: its repository and outbox together, for one office."""

from __future__ import annotations

from schemas.envelope import DEFAULT_OFFICE
from services.common.database import SessionFactory
from services.common.unit_of_work import UnitOfWork
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.repository import SchedulerRepository


class SchedulerUnitOfWork(UnitOfWork):
    outbox_table = SchedulerOutbox

    def __init__(self, sessions: SessionFactory, office_id: str = DEFAULT_OFFICE) -> None:
        super().__init__(sessions)
        self.office_id = office_id

    def __enter__(self) -> SchedulerUnitOfWork:
        super().__enter__()
        self.repo = SchedulerRepository(self.session, self.office_id)
        return self
