"""The briefing service's transaction boundary."""

from __future__ import annotations

from services.briefing.adapters.orm import BriefingInbox, BriefingOutbox
from services.briefing.adapters.repository import BriefingRepository
from services.common.unit_of_work import UnitOfWork


class BriefingUnitOfWork(UnitOfWork):
    outbox_table = BriefingOutbox
    inbox_table = BriefingInbox

    def __enter__(self) -> BriefingUnitOfWork:
        super().__enter__()
        self.repo = BriefingRepository(self.session)
        return self
