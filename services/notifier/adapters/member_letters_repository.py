"""Members' letters and answered items: rows to domain objects and back."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from services.notifier.adapters.member_letters_orm import AnsweredItemRow, MemberLetterRow
from services.notifier.domain.deliveries import Cause
from services.notifier.domain.member_letters import (
    AnsweredItem,
    Letter,
    LetterContent,
    LetterKind,
    LetterStatus,
)


class SqlMemberLetterRepository:
    """One office's answered items and letters."""

    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id

    # answered items
    def add_answered_item(self, item: AnsweredItem) -> bool:
        """Keep an answer for the member's next report; False if it was already kept."""
        if self.session.get(AnsweredItemRow, item.key) is not None:
            return False
        self.session.add(AnsweredItemRow(key=item.key, office_id=self.office_id, **_item(item)))
        return True

    def unreported_items(self, until: datetime) -> dict[str, list[AnsweredItem]]:
        """Per member, the items answered up to `until` that no report has carried yet."""
        query = (
            select(AnsweredItemRow)
            .where(
                col(AnsweredItemRow.reported_in).is_(None),
                AnsweredItemRow.office_id == self.office_id,
                col(AnsweredItemRow.answered_at) <= until,
            )
            .order_by(col(AnsweredItemRow.answered_at), col(AnsweredItemRow.key))
        )
        items: dict[str, list[AnsweredItem]] = {}
        for row in self.session.exec(query):
            items.setdefault(row.member_id, []).append(_answered(row))
        return items

    def mark_reported(self, items: Sequence[AnsweredItem], session_name: str) -> None:
        keys = [item.key for item in items]
        if keys:
            self.session.execute(
                update(AnsweredItemRow)
                .where(col(AnsweredItemRow.key).in_(keys))
                .values(reported_in=session_name)
            )

    # letters
    def letter_exists(self, key: str) -> bool:
        query = select(MemberLetterRow.id).where(MemberLetterRow.key == key)
        return self.session.exec(query).first() is not None

    def add_letter(self, letter: Letter) -> None:
        self.session.add(MemberLetterRow(**_letter_fields(letter)))

    def claim_due(
        self, claimant: str, now: datetime, lease: timedelta, limit: int = 50
    ) -> list[Letter]:
        """Claim due letters until now + lease: the notices' claim (one UPDATE over a
        `FOR UPDATE SKIP LOCKED` subquery on PostgreSQL, serial on SQLite), on letters."""
        token = f"{claimant}/{secrets.token_hex(6)}"
        free = or_(
            col(MemberLetterRow.lease_until).is_(None), col(MemberLetterRow.lease_until) < now
        )
        due = (
            select(MemberLetterRow.id)
            .where(
                MemberLetterRow.status == LetterStatus.PENDING,
                col(MemberLetterRow.next_attempt_at) <= now,
                free,
            )
            .order_by(col(MemberLetterRow.next_attempt_at), col(MemberLetterRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self.session.execute(
            update(MemberLetterRow)
            .where(col(MemberLetterRow.id).in_(due.scalar_subquery()), free)
            .values(claimed_by=token, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        taken = select(MemberLetterRow).where(MemberLetterRow.claimed_by == token)
        return [_letter(row) for row in self.session.exec(taken.order_by(col(MemberLetterRow.id)))]

    def get_letters(self, letter_ids: Sequence[str]) -> list[Letter]:
        query = select(MemberLetterRow).where(col(MemberLetterRow.id).in_(list(letter_ids)))
        return [_letter(row) for row in self.session.exec(query)]

    def save_letters(self, letters: Sequence[Letter]) -> None:
        """Write back the delivery state (status, attempts, error, times, claim)."""
        if letters:
            self.session.execute(update(MemberLetterRow), [_state(letter) for letter in letters])

    def recent_letters(self, member_id: str | None = None, limit: int = 200) -> list[Letter]:
        query = select(MemberLetterRow).where(MemberLetterRow.office_id == self.office_id)
        if member_id is not None:
            query = query.where(MemberLetterRow.member_id == member_id)
        query = query.order_by(col(MemberLetterRow.created_at).desc(), col(MemberLetterRow.id))
        return [_letter(row) for row in self.session.exec(query.limit(limit))]


def _item(item: AnsweredItem) -> dict[str, Any]:
    return {
        "request_id": item.request_id,
        "member_id": item.member_id,
        "member_name": item.member_name,
        "kind": item.kind,
        "text": item.text,
        "district": item.district,
        "origin": item.origin,
        "department": item.department,
        "action_taken": item.action_taken,
        "answered_at": item.answered_at,
    }


def _answered(row: AnsweredItemRow) -> AnsweredItem:
    return AnsweredItem(
        request_id=row.request_id,
        member_id=row.member_id,
        member_name=row.member_name,
        kind=row.kind,
        text=row.text,
        district=row.district,
        origin=row.origin,
        department=row.department,
        action_taken=row.action_taken,
        answered_at=row.answered_at,
    )


def _state(letter: Letter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "status": letter.status,
        "attempts": letter.attempts,
        "last_error": letter.last_error,
        "next_attempt_at": letter.next_attempt_at,
        "sent_at": letter.sent_at,
        "claimed_by": letter.claimed_by,
        "lease_until": letter.lease_until,
    }


def _letter_fields(letter: Letter) -> dict[str, Any]:
    return {
        **_state(letter),
        "key": letter.key,
        "office_id": letter.cause.office_id,
        "kind": letter.kind,
        "member_id": letter.member_id,
        "to_address": letter.to_address,
        "subject": letter.content.subject,
        "text_body": letter.content.text_body,
        "html_body": letter.content.html_body,
        "created_at": letter.created_at,
        "correlation_id": letter.cause.correlation_id,
        "causation_id": letter.cause.event_id,
    }


def _letter(row: MemberLetterRow) -> Letter:
    return Letter(
        id=row.id,
        key=row.key,
        kind=LetterKind(row.kind),
        member_id=row.member_id,
        to_address=row.to_address,
        content=LetterContent(row.subject, row.text_body, row.html_body),
        cause=Cause(row.correlation_id, row.causation_id, row.office_id),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        status=LetterStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        claimed_by=row.claimed_by,
        lease_until=row.lease_until,
    )
