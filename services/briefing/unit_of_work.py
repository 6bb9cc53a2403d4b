"""The briefing service's transaction boundary, on SQL."""

from __future__ import annotations

from services.briefing.adapters.member_request_repository import SqlMemberRequestRepository
from services.briefing.adapters.orm import BriefingInbox, BriefingOutbox
from services.briefing.adapters.repository import SqlBriefingRepository
from services.common.database import SessionFactory
from services.common.unit_of_work import UnitOfWork


class SqlBriefingUnitOfWork(UnitOfWork):
    outbox_table = BriefingOutbox
    inbox_table = BriefingInbox

    def __init__(self, sessions: SessionFactory, office_id: str) -> None:
        super().__init__(sessions)
        self.office_id = office_id

    def __enter__(self) -> SqlBriefingUnitOfWork:
        super().__enter__()
        self.repo = SqlBriefingRepository(self.session, self.office_id)
        self.requests = SqlMemberRequestRepository(self.session, self.office_id)
        return self
