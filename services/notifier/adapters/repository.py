"""Notifier rows to domain objects and back; the only place with the notifier's queries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from services.notifier.adapters.orm import (
    DeliveryRow,
    FeedTokenRow,
    MemberRow,
    StopAudienceRow,
    StopRow,
)
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.stops import StopView

_stop = TypeAdapter(StopView)
STAFF = "staff"


class NotifierRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # roster
    def upsert_member(self, member: CouncilMember) -> None:
        row = self.session.get(MemberRow, member.id) or MemberRow(
            id=member.id, name="", email="", committees=[], roles=[], caucus=""
        )
        row.name = member.name
        row.email = member.email
        row.district = member.district
        row.committees = sorted(member.committees)
        row.roles = sorted(member.roles)
        row.caucus = member.caucus
        row.active = True
        self.session.add(row)

    def roster(self) -> list[CouncilMember]:
        query = select(MemberRow).where(MemberRow.active == True).order_by(col(MemberRow.id))  # noqa: E712
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

    def add_delivery(self, row: DeliveryRow) -> None:
        self.session.add(row)

    def due_deliveries(self, now: datetime, limit: int = 50) -> list[DeliveryRow]:
        query = (
            select(DeliveryRow)
            .where(DeliveryRow.status == "pending", col(DeliveryRow.next_attempt_at) <= now)
            .order_by(col(DeliveryRow.created_at), col(DeliveryRow.id))
            .limit(limit)
        )
        return list(self.session.exec(query))

    def get_delivery(self, delivery_id: str) -> DeliveryRow | None:
        return self.session.get(DeliveryRow, delivery_id)

    def recent_deliveries(self, limit: int = 200) -> list[DeliveryRow]:
        query = (
            select(DeliveryRow)
            .order_by(col(DeliveryRow.created_at).desc(), col(DeliveryRow.id))
            .limit(limit)
        )
        return list(self.session.exec(query))


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
