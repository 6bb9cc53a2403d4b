"""Notifier rows to domain objects and back; the only place with the notifier's queries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Table, and_, bindparam, func, literal, or_, text, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from schemas.vocabulary import StopChangeKind
from services.notifier.adapters.orm import (
    PENDING,
    DeliveryRow,
    FeedTokenRow,
    MemberRow,
    StopAudienceRow,
    StopRow,
)
from services.notifier.adapters.recipient_queries import (
    RecipientQueries,
    delivery_plan_fields,
    delivery_plan_values,
)
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.feeds import STAFF, FeedEntry, withdrawn_for_member
from services.notifier.domain.notices import Notice, NoticeKind
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.stops import StopView

__all__ = ["STAFF", "SqlNotifierRepository"]  # STAFF: still imported from here by the CLI

_stop = TypeAdapter(StopView)
_DELIVERIES: Table = DeliveryRow.__table__  # type: ignore[attr-defined]
_AUDIENCE: Table = StopAudienceRow.__table__  # type: ignore[attr-defined]
CLAIM_LOCK = 0x646F6E6773656F6E  # "dongseon": PostgreSQL advisory lock taken by each claim


class SqlNotifierRepository(RecipientQueries):
    """Queries of one office's notifier: its roster, and deliveries stamped with it."""

    def __init__(self, session: Session, office_id: str) -> None:
        self.session = session
        self.office_id = office_id
        self._tokens: dict[str, str] | None = None  # owner -> feed token, read once

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
        """The owner's feed token, created on first use. All tokens are read in one query on
        the first call (a notice burst asks for every member's), not one query per member."""
        if self._tokens is None:
            rows = self.session.exec(select(FeedTokenRow.owner, FeedTokenRow.token))
            self._tokens = {owner: token for owner, token in rows}
        token = self._tokens.get(owner)
        if token is None:
            token = secrets.token_urlsafe(24)
            self.session.add(FeedTokenRow(owner=owner, token=token, created_at=now))
            self._tokens[owner] = token
        return token

    def token_owner(self, token: str) -> str | None:
        row = self.session.exec(select(FeedTokenRow).where(FeedTokenRow.token == token)).first()
        return row.owner if row else None

    def token_of(self, owner: str) -> str | None:
        """The owner's current token, if it has one (none after a revocation)."""
        row = self.session.get(FeedTokenRow, owner)
        return row.token if row else None

    def replace_token(self, owner: str, now: datetime) -> str:
        """A fresh unguessable token for the owner; the old one stops working."""
        row = self.session.get(FeedTokenRow, owner) or FeedTokenRow(
            owner=owner, token="", created_at=now
        )
        row.token, row.created_at = secrets.token_urlsafe(24), now
        self.session.add(row)
        if self._tokens is not None:
            self._tokens[owner] = row.token
        return row.token

    def revoke_token(self, owner: str) -> bool:
        """Remove the owner's token: the feed answers 404 until a new one is issued."""
        row = self.session.get(FeedTokenRow, owner)
        if self._tokens is not None:
            self._tokens.pop(owner, None)
        if row is None:
            return False
        self.session.delete(row)
        return True

    # stops
    def save_stop_if_newer(self, stop: StopView, changed_at: datetime | None = None) -> bool:
        """Keep the newest version; `changed_at` (when it was confirmed) dates it in feeds.

        The same version seen again (from the other topic) only fills a missing change time.
        """
        row = self.session.get(StopRow, stop.stop_id)
        if row is not None and row.version == stop.version and row.changed_at is None:
            row.changed_at = changed_at
            self.session.add(row)
        if row is not None and row.version >= stop.version:
            return False
        body = _stop.dump_python(stop, mode="json")
        if row is None:
            row = StopRow(
                stop_id=stop.stop_id, version=stop.version, starts_at=stop.starts_at, body=body
            )
        else:
            row.version, row.starts_at, row.body = stop.version, stop.starts_at, body
        row.changed_at = changed_at
        self.session.add(row)
        return True

    def feed_fingerprint(self, member_id: str | None = None) -> tuple[Any, ...]:
        """Changes whenever a feed's stops do: their count, the sum of their versions (every
        change raises one) and the newest change time (for a member, also the sum of the
        versions from which stops no longer concern them); one aggregate query."""
        count = func.count(col(StopRow.stop_id))
        versions = func.coalesce(func.sum(col(StopRow.version)), 0)
        newest = func.max(col(StopRow.changed_at))
        if member_id is None:
            return tuple(self.session.exec(select(count, versions, newest)).one())
        withdrawn = func.coalesce(func.sum(col(StopAudienceRow.withdrawn_version)), 0)
        query = (
            select(count, versions, newest, withdrawn)
            .join(StopAudienceRow, col(StopAudienceRow.stop_id) == col(StopRow.stop_id))
            .where(col(StopAudienceRow.member_id) == member_id)
        )
        return tuple(self.session.exec(query).one())

    def feed_entries(self, member_id: str | None = None) -> list[FeedEntry]:
        """Stops with their change times, for a feed: all, or those the member was told of
        (cancelled, for the member, when it no longer concerns them)."""
        if member_id is None:
            query = select(StopRow).order_by(col(StopRow.starts_at), col(StopRow.stop_id))
            return [
                FeedEntry(_stop.validate_python(row.body), row.changed_at)
                for row in self.session.exec(query)
            ]
        joined = (
            select(StopRow, col(StopAudienceRow.withdrawn_version))
            .join(StopAudienceRow, col(StopAudienceRow.stop_id) == col(StopRow.stop_id))
            .where(StopAudienceRow.member_id == member_id)
            .order_by(col(StopRow.starts_at), col(StopRow.stop_id))
        )
        return [
            FeedEntry(withdrawn_for_member(_stop.validate_python(row.body), gone), row.changed_at)
            for row, gone in self.session.exec(joined)
        ]

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
        """One read of who is already in the audience, one multi-row INSERT of the rest; a
        member the stop had stopped concerning is back in its audience."""
        query = select(StopAudienceRow.member_id, StopAudienceRow.withdrawn_version).where(
            StopAudienceRow.stop_id == stop_id
        )
        known = dict(self.session.exec(query).all())
        wanted = list(dict.fromkeys(member_ids))
        new = [m for m in wanted if m not in known]
        if new:
            rows = [{"stop_id": stop_id, "member_id": m} for m in new]
            self.session.execute(_AUDIENCE.insert(), rows)
        back = [m for m in wanted if known.get(m) is not None]
        if back:
            self.session.execute(
                update(_AUDIENCE)
                .where(_AUDIENCE.c.stop_id == stop_id, _AUDIENCE.c.member_id.in_(back))
                .values(withdrawn_version=None)
            )

    def withdraw_audience(self, stop_id: str, member_ids: Sequence[str]) -> None:
        """The stop, as stored now, no longer concerns these members (a removal was queued):
        their feeds show it cancelled from this version on."""
        if not member_ids:
            return
        version = select(StopRow.version).where(StopRow.stop_id == stop_id).scalar_subquery()
        self.session.execute(
            update(_AUDIENCE)
            .where(_AUDIENCE.c.stop_id == stop_id, _AUDIENCE.c.member_id.in_(list(member_ids)))
            .values(withdrawn_version=version)
        )

    # deliveries
    def delivery_exists(self, stop_id: str, stop_version: int, member_id: str) -> bool:
        query = select(DeliveryRow.id).where(
            DeliveryRow.stop_id == stop_id,
            DeliveryRow.stop_version == stop_version,
            DeliveryRow.member_id == member_id,
        )
        return self.session.exec(query).first() is not None

    def add_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        """One Core INSERT for many: an ORM row per notice cost more than the insert, and on
        PostgreSQL a statement per notice cost a round trip each."""
        if deliveries:
            self.session.execute(_DELIVERIES.insert(), [_delivery_fields(d) for d in deliveries])

    def save_delivery(self, delivery: Delivery) -> None:
        """Write back what changed (status, attempts, errors, times)."""
        row = self.session.get(DeliveryRow, delivery.id)
        if row is None:
            raise LookupError(f"delivery {delivery.id} was never added")
        row.sqlmodel_update(_delivery_fields(delivery))
        self.session.add(row)

    def due_deliveries(self, now: datetime, limit: int = 50) -> list[Delivery]:
        query = (
            core_select(_DELIVERIES)
            .where(
                PENDING,
                col(DeliveryRow.next_attempt_at) <= now,
            )
            .order_by(col(DeliveryRow.created_at), col(DeliveryRow.id))
            .limit(limit)
        )
        return [_delivery(row) for row in self.session.execute(query)]

    def claim_due(
        self, claimant: str, now: datetime, lease: timedelta, limit: int = 100
    ) -> list[Delivery]:
        """Claim up to `limit` due deliveries for `claimant` until now + lease, oldest first.

        One UPDATE … RETURNING whose subquery picks rows that are due and unclaimed (or
        whose lease ran out); the rows come back with it (reading them again by claim token
        scanned the whole table, which only grows). On PostgreSQL the subquery locks them
        `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take disjoint rows without
        waiting; the outer WHERE repeats the lease test, so a row taken meanwhile is not
        taken twice. SQLite has one writer at a time: the statement takes the write lock
        before it reads, so claims are serial there. The caller commits; a claim token unique
        to this call names what it took.

        A digest (a member's notices held for one digest time) is claimed whole, so it goes
        out as one message: on PostgreSQL claims take turns on a transaction-scoped advisory
        lock (a claim is one short UPDATE), so no concurrent claim takes part of a digest
        another claim is extending.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
        token = f"{claimant}/{secrets.token_hex(6)}"
        free = or_(col(DeliveryRow.lease_until).is_(None), col(DeliveryRow.lease_until) < now)
        due = (
            select(DeliveryRow.id)
            .where(
                PENDING,
                col(DeliveryRow.next_attempt_at) <= now,
                free,
            )
            .order_by(col(DeliveryRow.next_attempt_at), col(DeliveryRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id.in_(due.scalar_subquery()), free)
            .values(claimed_by=token, lease_until=now + lease)
            .returning(*_DELIVERIES.c)
        )
        rows = list(self.session.execute(claim))
        digests = {(r.member_id, r.digest_at) for r in rows if r.digest_at is not None}
        if digests:
            rows += self._claim_digest_mates(token, now, lease, digests)
        rows.sort(key=lambda r: (r.next_attempt_at, r.id))
        return [_delivery(row) for row in rows]

    def _claim_digest_mates(
        self,
        token: str,
        now: datetime,
        lease: timedelta,
        groups: set[tuple[str, datetime]],
    ) -> list[Any]:
        """Extend a claim to the other due, unclaimed notices of each digest it touched (same
        member, same digest time), so a digest goes out as one message, beyond `limit` if
        need be. Rows held by a live claim are skipped (never waited for). Returns the rows
        added."""
        free = or_(col(DeliveryRow.lease_until).is_(None), col(DeliveryRow.lease_until) < now)
        same_digest = or_(
            *(
                and_(col(DeliveryRow.member_id) == member, col(DeliveryRow.digest_at) == at)
                for member, at in groups
            )
        )
        mates = (
            select(DeliveryRow.id)
            .where(
                PENDING,
                col(DeliveryRow.next_attempt_at) <= now,
                free,
                same_digest,
            )
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id.in_(mates.scalar_subquery()), free)
            .values(claimed_by=token, lease_until=now + lease)
            .returning(*_DELIVERIES.c)
        )
        return list(self.session.execute(claim))

    def deliveries_for_stop(self, stop_id: str) -> list[Delivery]:
        """Every notice queued about a stop, all versions (for superseding and updates)."""
        query = core_select(_DELIVERIES).where(_DELIVERIES.c.stop_id == stop_id)
        rows = self.session.execute(
            query.order_by(col(DeliveryRow.stop_version), col(DeliveryRow.id))
        )
        return [_delivery(row) for row in rows]

    def save_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        """Write back what sending changes (status, attempts, error, times, claim) for many
        deliveries at once: one executemany UPDATE by primary key."""
        if deliveries:
            self.session.execute(_SAVE_SEND_STATE, [_send_state(d) for d in deliveries])

    def deliveries_to_record(self, delivery_ids: Sequence[str]) -> list[Delivery]:
        """Several deliveries in one query (those that exist), for recording a batch: all
        but the mail itself (text, HTML and invitation come back empty), which recording
        neither reads nor writes and which was most of the bytes read."""
        query = _WITHOUT_BODIES.where(_DELIVERIES.c.id.in_(list(delivery_ids)))
        return [_delivery(row) for row in self.session.execute(query)]

    def get_delivery(self, delivery_id: str) -> Delivery | None:
        row = self.session.get(DeliveryRow, delivery_id)
        return _delivery(row) if row else None

    def recent_deliveries(self, limit: int = 200) -> list[Delivery]:
        query = (
            core_select(_DELIVERIES)
            .order_by(col(DeliveryRow.created_at).desc(), col(DeliveryRow.id))
            .limit(limit)
        )
        return [_delivery(row) for row in self.session.execute(query)]


_BODIES = ("text_body", "html_body", "ics")
_WITHOUT_BODIES = core_select(
    *(column for column in _DELIVERIES.c if column.name not in _BODIES),
    *(literal("").label(name) for name in _BODIES),
)

_SEND_STATE = (
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "claimed_by",
    "lease_until",
)
# A Core executemany UPDATE: the ORM's bulk update by primary key spent more time preparing
# each batch than the database spent running it.
_SAVE_SEND_STATE = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("key"))
    .values({name: bindparam(name) for name in _SEND_STATE})
)


def _send_state(delivery: Delivery) -> dict[str, Any]:
    return {"key": delivery.id} | {name: getattr(delivery, name) for name in _SEND_STATE}


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
        "claimed_by": delivery.claimed_by,
        "lease_until": delivery.lease_until,
        "purpose": delivery.purpose,
        "follow_up_no": delivery.follow_up_no,
        "round": delivery.round,
        "digest_at": delivery.digest_at,
        "summary": notice.summary,
        "recipient_name": notice.recipient_name,
        **delivery_plan_fields(delivery),
    }


def _delivery(row: Any) -> Delivery:
    """From a `deliveries` row as Core reads it (building ORM objects for a burst of
    notices cost more than the queries)."""
    change = StopChangeKind(row.change)
    purpose = DeliveryPurpose(row.purpose)
    return Delivery(
        id=row.id,
        stop_id=row.stop_id,
        stop_version=row.stop_version,
        change=change,
        notice=Notice(
            recipient_id=row.member_id,
            to_address=row.to_address,
            kind=NoticeKind.of(purpose, change, IcsMethod(row.ics_method)),
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            ics=row.ics.encode("utf-8"),
            ics_method=IcsMethod(row.ics_method),
            summary=row.summary or "",
            recipient_name=row.recipient_name or "",
        ),
        # Rows queued before causes were kept: correlated by stop, as their notices were.
        cause=Cause(row.correlation_id or row.stop_id, row.causation_id, row.office_id),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        claimed_by=row.claimed_by,
        lease_until=row.lease_until,
        purpose=purpose,
        follow_up_no=row.follow_up_no,
        round=row.round,
        digest_at=row.digest_at,
        **delivery_plan_values(row),
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
