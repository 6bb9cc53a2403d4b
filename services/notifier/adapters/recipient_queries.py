"""Queries for who is told and how: decisions, operator overrides, member preferences.

A mixin of SqlNotifierRepository (it brings `session` and `office_id`), kept apart from the
delivery queries so the two grow independently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from services.common.errors import StateConflict
from services.notifier.adapters.orm import (
    DecisionRow,
    DeliveryRow,
    FollowUpRow,
    OverrideRow,
    PreferenceRow,
    StopRow,
)
from services.notifier.domain.decisions import Decision, Override, OverrideAction
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.follow_ups import FollowUp
from services.notifier.domain.preferences import Channel, Preferences, QuietHours
from services.notifier.domain.rules import RuleId
from services.notifier.domain.stops import StopView

_stop = TypeAdapter(StopView)
_DECISIONS: Table = DecisionRow.__table__  # type: ignore[attr-defined]


class RecipientQueries:
    session: Session
    office_id: str

    # stops
    def get_stop(self, stop_id: str) -> StopView | None:
        row = self.session.get(StopRow, stop_id)
        return _stop.validate_python(row.body) if row else None

    # overrides
    def overrides_for_stop(self, stop_id: str) -> list[Override]:
        query = select(OverrideRow).where(OverrideRow.stop_id == stop_id)
        return [
            _override(row) for row in self.session.exec(query.order_by(col(OverrideRow.member_id)))
        ]

    def save_override(self, override: Override) -> None:
        row = self.session.get(OverrideRow, (override.stop_id, override.member_id))
        values: dict[str, Any] = {
            "stop_id": override.stop_id,
            "member_id": override.member_id,
            "office_id": self.office_id,
            "action": override.action,
            "reason": override.reason,
            "created_at": override.created_at,
        }
        if row is None:
            row = OverrideRow(**values)
        else:
            row.sqlmodel_update(values)
        self.session.add(row)

    # decisions
    def record_decisions(self, decisions: Iterable[Decision]) -> None:
        """Store the current verdict on each (stop, version, person) in `decisions`: rules no
        longer in it are dropped, a rule's link to its notice is kept. One read per version."""
        decisions = list(decisions)
        people = {(d.stop_id, d.stop_version, d.member_id) for d in decisions}
        existing: dict[tuple[str, int, str, str], DecisionRow] = {}
        for stop_id, version in {(d.stop_id, d.stop_version) for d in decisions}:
            query = select(DecisionRow).where(
                DecisionRow.stop_id == stop_id, DecisionRow.stop_version == version
            )
            for row in self.session.exec(query):
                existing[(row.stop_id, row.stop_version, row.member_id, row.rule)] = row
        wanted = {(d.stop_id, d.stop_version, d.member_id, d.rule): d for d in decisions}
        for key, row in existing.items():
            if key[:3] in people and key not in wanted:
                self.session.delete(row)
        new: list[dict[str, Any]] = []
        for key, decision in wanted.items():
            values = _decision_fields(decision, self.office_id)
            known = existing.get(key)
            if known is None:
                new.append(values)
                continue
            if decision.delivery_id is None:
                values["delivery_id"] = known.delivery_id
            known.sqlmodel_update(values)
            self.session.add(known)
        if new:  # one executemany INSERT, not an ORM row per decision
            self.session.execute(_DECISIONS.insert(), new)

    def decisions_for_member(self, member_id: str, limit: int = 200) -> list[Decision]:
        query = (
            select(DecisionRow)
            .where(DecisionRow.member_id == member_id)
            .order_by(col(DecisionRow.decided_at).desc(), col(DecisionRow.stop_id))
            .limit(limit)
        )
        return [_decision(row) for row in self.session.exec(query)]

    def decisions_for(self, stop_id: str, stop_version: int, member_id: str) -> list[Decision]:
        query = select(DecisionRow).where(
            DecisionRow.stop_id == stop_id,
            DecisionRow.stop_version == stop_version,
            DecisionRow.member_id == member_id,
        )
        return [_decision(row) for row in self.session.exec(query.order_by(col(DecisionRow.rule)))]

    # follow-ups of press announcements
    def add_follow_up(self, follow_up: FollowUp) -> None:
        """StateConflict when another mark took the same number meanwhile (a race of two
        operators): the caller's transaction stays usable, the operator tries again."""
        row = FollowUpRow(office_id=self.office_id, **_follow_up_fields(follow_up))
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as error:
            raise StateConflict(
                "같은 일정에 다른 후속 안내가 방금 등록되었습니다. 다시 시도해 주십시오."
            ) from error

    def follow_ups_for_stop(self, stop_id: str) -> list[FollowUp]:
        query = select(FollowUpRow).where(FollowUpRow.stop_id == stop_id)
        return [
            _follow_up(row) for row in self.session.exec(query.order_by(col(FollowUpRow.number)))
        ]

    def get_follow_up(self, stop_id: str, number: int) -> FollowUp | None:
        query = select(FollowUpRow).where(
            FollowUpRow.stop_id == stop_id, FollowUpRow.number == number
        )
        row = self.session.exec(query).first()
        return _follow_up(row) if row else None

    # preferences
    def get_preferences(self, member_id: str) -> Preferences | None:
        row = self.session.get(PreferenceRow, member_id)
        return _preferences(row) if row else None

    def preferences_for(self, member_ids: Sequence[str]) -> dict[str, Preferences]:
        if not member_ids:
            return {}
        query = select(PreferenceRow).where(col(PreferenceRow.member_id).in_(list(member_ids)))
        return {row.member_id: _preferences(row) for row in self.session.exec(query)}

    def all_preferences(self) -> dict[str, Preferences]:
        """Every member's stored preferences in this office (few rows: only those who chose)."""
        query = select(PreferenceRow).where(PreferenceRow.office_id == self.office_id)
        return {row.member_id: _preferences(row) for row in self.session.exec(query)}

    def save_preferences(self, preferences: Preferences, now: datetime) -> None:
        row = self.session.get(PreferenceRow, preferences.member_id)
        values = _preference_fields(preferences, self.office_id, now)
        if row is None:
            row = PreferenceRow(**values)
        else:
            row.sqlmodel_update(values)
        self.session.add(row)


def delivery_plan_fields(delivery: Delivery) -> dict[str, Any]:
    """The columns of a delivery that say why, when and instead of what it is sent."""
    return {
        "reason": delivery.reason,
        "short_notice": delivery.short_notice,
        "urgent": delivery.urgent,
        "replaces": delivery.replaces,
        "changes": delivery.changes,
        "superseded_by": delivery.superseded_by,
    }


def delivery_plan_values(row: DeliveryRow) -> dict[str, Any]:
    return {
        "reason": row.reason or "",
        "short_notice": bool(row.short_notice),
        "urgent": bool(row.urgent),
        "replaces": row.replaces,
        "changes": row.changes or "",
        "superseded_by": row.superseded_by,
    }


def _follow_up_fields(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.id,
        "stop_id": follow_up.stop_id,
        "stop_version": follow_up.stop_version,
        "number": follow_up.number,
        "progress": follow_up.progress,
        "marked_at": follow_up.marked_at,
        "recipients": follow_up.recipients,
    }


def _follow_up(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        id=row.id,
        stop_id=row.stop_id,
        stop_version=row.stop_version,
        number=row.number,
        progress=row.progress,
        marked_at=row.marked_at,
        recipients=row.recipients,
    )


def _override(row: OverrideRow) -> Override:
    return Override(
        stop_id=row.stop_id,
        member_id=row.member_id,
        action=OverrideAction(row.action),
        reason=row.reason,
        created_at=row.created_at,
    )


def _decision_fields(decision: Decision, office_id: str) -> dict[str, Any]:
    return {
        "stop_id": decision.stop_id,
        "stop_version": decision.stop_version,
        "member_id": decision.member_id,
        "rule": decision.rule,
        "office_id": office_id,
        "member_name": decision.member_name,
        "included": decision.included,
        "explanation": decision.explanation,
        "decided_at": decision.decided_at,
        "delivery_id": decision.delivery_id,
    }


def _decision(row: DecisionRow) -> Decision:
    return Decision(
        stop_id=row.stop_id,
        stop_version=row.stop_version,
        member_id=row.member_id,
        member_name=row.member_name,
        rule=RuleId(row.rule),
        included=row.included,
        explanation=row.explanation,
        decided_at=row.decided_at,
        delivery_id=row.delivery_id,
    )


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _preference_fields(p: Preferences, office_id: str, now: datetime) -> dict[str, Any]:
    quiet = p.quiet_hours
    return {
        "member_id": p.member_id,
        "office_id": office_id,
        "channels": sorted(p.channels),
        "webhook_url": p.webhook_url,
        "webhook_secret": p.webhook_secret,
        "quiet_start": _clock(quiet.start) if quiet else None,
        "quiet_end": _clock(quiet.end) if quiet else None,
        "daily_digest": p.daily_digest,
        "digest_time": _clock(p.digest_time),
        "day_before_reminder": p.day_before_reminder,
        "updated_at": now,
    }


def _preferences(row: PreferenceRow) -> Preferences:
    quiet = None
    if row.quiet_start and row.quiet_end:
        quiet = QuietHours(time.fromisoformat(row.quiet_start), time.fromisoformat(row.quiet_end))
    return Preferences(
        member_id=row.member_id,
        channels=frozenset(Channel(c) for c in row.channels),
        webhook_url=row.webhook_url,
        webhook_secret=row.webhook_secret,
        quiet_hours=quiet,
        daily_digest=row.daily_digest,
        digest_time=time.fromisoformat(row.digest_time),
        day_before_reminder=bool(row.day_before_reminder),
    )
