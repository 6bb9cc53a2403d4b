"""Notifier rows to domain objects and back; the only place with the notifier's queries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from schemas.vocabulary import StopChangeKind
from services.notifier.adapters.orm import (
    DeliveryRow,
    FeedTokenRow,
    MemberRow,
    StopAudienceRow,
    StopRow,
)
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryStatus
from services.notifier.domain.feeds import STAFF
from services.notifier.domain.notices import Notice, NoticeKind
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.stops import StopView

__all__ = ["STAFF", "SqlNotifierRepository"]  # STAFF: still imported from here by the CLI

_stop = TypeAdapter(StopView)


class SqlNotifierRepository:
    """Queries of one office's notifier: its roster, and deliveries stamped with it."""

    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id

    # roster
    def upsert_member(self, member: CouncilMember) -> None:
        row = self.session.get(MemberRow, member.id) or MemberRow(
            id=member.id, name="", email="", committees=[], roles=[], caucus=""
        )
        row.office_id = self.office_id
        row.name = member.name
        row.email = member.email
        row.district = member.district
        row.committees = sorted(member.committees)
        row.roles = sorted(member.roles)
        row.caucus = member.caucus
        row.active = True
        self.session.add(row)

    def roster(self) -> list[CouncilMember]:
        query = (
            select(MemberRow)
            .where(MemberRow.active == True, MemberRow.office_id == self.office_id)  # noqa: E712
            .order_by(col(MemberRow.id))
        )
        return [_member(row) for row in self.session.exec(query)]

    def get_member(self, member_id: str) -> CouncilMember | None:
        row = self.session.get(MemberRow, member_id)
        return _member(row) if row and row.active else None

    # feed tokens
    def feed_token(self, owner: str, now: datetime) -> str:
        """The owner's feed token, created on first use."""
        row = self.session.get(FeedTokenRow, owner)
        if row is None:
            row = FeedTokenRow(owner=owner, token=secrets.token_urlsafe(24), created_at=now)
            self.session.add(row)
        return row.token

    def token_owner(self, token: str) -> str | None:
        row = self.session.exec(select(FeedTokenRow).where(FeedTokenRow.token == token)).first()
        return row.owner if row else None

    # stops
    def save_stop_if_newer(self, stop: StopView) -> bool:
        row = self.session.get(StopRow, stop.stop_id)
        if row is not None and row.version >= stop.version:
            return False
        body = _stop.dump_python(stop, mode="json")
        if row is None:
            row = StopRow(
                stop_id=stop.stop_id, version=stop.version, starts_at=stop.starts_at, body=body
            )
        else:
            row.version, row.starts_at, row.body = stop.version, stop.starts_at, body
        self.session.add(row)
        return True

    def stops(self) -> list[StopView]:
        query = select(StopRow).order_by(col(StopRow.starts_at), col(StopRow.stop_id))
        return [_stop.validate_python(row.body) for row in self.session.exec(query)]

    def stops_for_member(self, member_id: str) -> list[StopView]:
        query = (
            select(StopRow)
            .join(StopAudienceRow, col(StopAudienceRow.stop_id) == col(StopRow.stop_id))
            .where(StopAudienceRow.member_id == member_id)
            .order_by(col(StopRow.starts_at), col(StopRow.stop_id))
        )
        return [_stop.validate_python(row.body) for row in self.session.exec(query)]

    def add_audience(self, stop_id: str, member_ids: Sequence[str]) -> None:
        for member_id in member_ids:
            if self.session.get(StopAudienceRow, (stop_id, member_id)) is None:
                self.session.add(StopAudienceRow(stop_id=stop_id, member_id=member_id))

    # deliveries
    def delivery_exists(self, stop_id: str, stop_version: int, member_id: str) -> bool:
        query = select(DeliveryRow.id).where(
            DeliveryRow.stop_id == stop_id,
            DeliveryRow.stop_version == stop_version,
            DeliveryRow.member_id == member_id,
        )
        return self.session.exec(query).first() is not None

    def add_delivery(self, delivery: Delivery) -> None:
        self.session.add(DeliveryRow(**_delivery_fields(delivery)))

    def save_delivery(self, delivery: Delivery) -> None:
        """Write back what changed (status, attempts, errors, times)."""
        row = self.session.get(DeliveryRow, delivery.id)
        if row is None:
            raise LookupError(f"delivery {delivery.id} was never added")
        row.sqlmodel_update(_delivery_fields(delivery))
        self.session.add(row)

    def due_deliveries(self, now: datetime, limit: int = 50) -> list[Delivery]:
        query = (
            select(DeliveryRow)
            .where(
                DeliveryRow.status == DeliveryStatus.PENDING,
                col(DeliveryRow.next_attempt_at) <= now,
            )
            .order_by(col(DeliveryRow.created_at), col(DeliveryRow.id))
            .limit(limit)
        )
        return [_delivery(row) for row in self.session.exec(query)]

    def get_delivery(self, delivery_id: str) -> Delivery | None:
        row = self.session.get(DeliveryRow, delivery_id)
        return _delivery(row) if row else None

    def recent_deliveries(self, limit: int = 200) -> list[Delivery]:
        query = (
            select(DeliveryRow)
            .order_by(col(DeliveryRow.created_at).desc(), col(DeliveryRow.id))
            .limit(limit)
        )
        return [_delivery(row) for row in self.session.exec(query)]


def _delivery_fields(delivery: Delivery) -> dict[str, Any]:
    notice, cause = delivery.notice, delivery.cause
    return {
        "id": delivery.id,
        "office_id": cause.office_id,
        "stop_id": delivery.stop_id,
        "stop_version": delivery.stop_version,
        "member_id": notice.recipient_id,
        "change": delivery.change,
        "to_address": notice.to_address,
        "subject": notice.subject,
        "text_body": notice.text_body,
        "html_body": notice.html_body,
        "ics": notice.ics.decode("utf-8"),
        "ics_method": notice.ics_method,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
        "sent_at": delivery.sent_at,
        "correlation_id": cause.correlation_id,
        "causation_id": cause.event_id,
    }


def _delivery(row: DeliveryRow) -> Delivery:
    change = StopChangeKind(row.change)
    return Delivery(
        id=row.id,
        stop_id=row.stop_id,
        stop_version=row.stop_version,
        change=change,
        notice=Notice(
            recipient_id=row.member_id,
            to_address=row.to_address,
            kind=NoticeKind.for_change(change),
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            ics=row.ics.encode("utf-8"),
            ics_method=IcsMethod(row.ics_method),
        ),
        # Rows queued before causes were kept: correlated by stop, as their notices were.
        cause=Cause(row.correlation_id or row.stop_id, row.causation_id, row.office_id),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


def _member(row: MemberRow) -> CouncilMember:
    return CouncilMember(
        id=row.id,
        name=row.name,
        email=row.email,
        district=row.district,
        committees=frozenset(row.committees),
        roles=frozenset(row.roles),
        caucus=row.caucus,
    )
