"""Member-request rows to domain objects and back (a request row plus its history rows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from schemas.member_requests import RequestKind, RequestStatus
from services.briefing.adapters.orm import MemberRequestChangeRow, MemberRequestRow
from services.briefing.domain.member_requests import MemberRequest, StatusChange


class SqlMemberRequestRepository:
    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id

    def get(self, request_id: str) -> MemberRequest | None:
        row = self.session.get(MemberRequestRow, request_id)
        if row is None or row.office_id != self.office_id:
            return None
        return self._with_history([row])[0]

    def save(self, request: MemberRequest) -> None:
        """Insert or update the request and append the history steps not stored yet."""
        row = self.session.get(MemberRequestRow, request.id)
        if row is None:
            row = MemberRequestRow(id=request.id, office_id=self.office_id, **_columns(request))
            stored = 0
        else:
            for name, value in _columns(request).items():
                setattr(row, name, value)
            stored = len(self._changes([request.id])[request.id])
        self.session.add(row)
        self.session.flush()
        for change in request.history[stored:]:
            self.session.add(
                MemberRequestChangeRow(
                    request_id=request.id,
                    at=change.at,
                    by=change.by,
                    from_status=change.from_status,
                    to_status=change.to_status,
                    note=change.note,
                    department=change.department,
                )
            )

    def find(
        self,
        *,
        member_id: str | None = None,
        district: str | None = None,
        statuses: Sequence[RequestStatus] | None = None,
    ) -> list[MemberRequest]:
        """Matching requests, oldest first (then by id)."""
        query = select(MemberRequestRow).where(MemberRequestRow.office_id == self.office_id)
        if member_id is not None:
            query = query.where(MemberRequestRow.member_id == member_id)
        if district is not None:
            query = query.where(MemberRequestRow.district == district)
        if statuses is not None:
            query = query.where(col(MemberRequestRow.status).in_([str(s) for s in statuses]))
        query = query.order_by(col(MemberRequestRow.recorded_at), col(MemberRequestRow.id))
        return self._with_history(list(self.session.exec(query)))

    def _changes(self, ids: Sequence[str]) -> dict[str, list[MemberRequestChangeRow]]:
        changes: dict[str, list[MemberRequestChangeRow]] = defaultdict(list)
        if not ids:
            return changes
        query = (
            select(MemberRequestChangeRow)
            .where(col(MemberRequestChangeRow.request_id).in_(ids))
            .order_by(col(MemberRequestChangeRow.seq))
        )
        for change in self.session.exec(query):
            changes[change.request_id].append(change)
        return changes

    def _with_history(self, rows: list[MemberRequestRow]) -> list[MemberRequest]:
        changes = self._changes([r.id for r in rows])
        return [_request(row, changes[row.id]) for row in rows]


def _columns(request: MemberRequest) -> dict[str, Any]:
    return dict(
        member_id=request.member_id,
        member_name=request.member_name,
        kind=str(request.kind),
        district=request.district,
        text=request.text,
        stop_id=request.stop_id,
        session=request.session,
        department=request.department,
        due_date=request.due_date,
        status=str(request.status),
        action_taken=request.action_taken,
        recorded_at=request.recorded_at,
        updated_at=request.updated_at,
    )


def _request(row: MemberRequestRow, changes: list[MemberRequestChangeRow]) -> MemberRequest:
    return MemberRequest(
        id=row.id,
        member_id=row.member_id,
        member_name=row.member_name,
        kind=RequestKind(row.kind),
        district=row.district,
        text=row.text,
        stop_id=row.stop_id,
        session=row.session,
        department=row.department,
        due_date=row.due_date,
        status=RequestStatus(row.status),
        recorded_at=row.recorded_at,
        history=tuple(
            StatusChange(
                at=c.at,
                by=c.by,
                from_status=RequestStatus(c.from_status) if c.from_status else None,
                to_status=RequestStatus(c.to_status),
                note=c.note,
                department=c.department,
            )
            for c in changes
        ),
        action_taken=row.action_taken,
    )
