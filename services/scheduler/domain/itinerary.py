"""Stops of a confirmed itinerary and how one confirmed plan differs from the last."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from schemas.scheduler import StopKind
from schemas.vocabulary import StopChangeKind
from services.scheduler.domain.requests import Place


class StopStatus(StrEnum):
    """Whether a stop is on the day's confirmed plan."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Stop:
    """One item of the mayor's day, as planned."""

    stop_id: str
    source_id: str
    kind: StopKind
    title: str
    purpose: str
    category: str
    policy_area: str | None
    place: Place
    starts_at: datetime
    ends_at: datetime
    public: bool
    important: bool
    requesting_department: str
    version: int = 1
    attendee_ids: tuple[str, ...] = ()  # council members who must attend (request's member_ids)

    def same_plan_as(self, other: Stop) -> bool:
        """True when nothing a recipient cares about changed (who attends is told, so counts)."""
        return (
            self.starts_at,
            self.ends_at,
            self.place,
            self.title,
            self.purpose,
            self.public,
            frozenset(self.attendee_ids),
        ) == (
            other.starts_at,
            other.ends_at,
            other.place,
            other.title,
            other.purpose,
            other.public,
            frozenset(other.attendee_ids),
        )


REQUEST_WITHDRAWN = "요청 철회"
COMMITMENT_WITHDRAWN = "일정 철회"
REPLANNED = "재계획으로 제외"


@dataclass(frozen=True)
class StopChange:
    change: StopChangeKind
    stop: Stop
    previous: Stop | None = None
    reason: str | None = None  # why a cancelled stop was cancelled (Korean), for its notices


def cancellation_reason(kind: StopKind, *, withdrawn: bool, dropped_reason: str | None) -> str:
    """What a cancellation notice says: the withdrawal, else the planner's reason, else re-plan."""
    if withdrawn:
        return REQUEST_WITHDRAWN if kind == StopKind.VISIT else COMMITMENT_WITHDRAWN
    return dropped_reason or REPLANNED


@dataclass(frozen=True)
class PlanVersion:
    """One confirmation of a day's plan: which proposal, by whom, when."""

    plan_date: date
    version: int
    proposal_id: str
    confirmed_by: str
    confirmed_at: datetime


def diff_itinerary(
    confirmed: Mapping[str, Stop],
    proposed: Sequence[Stop],
    last_versions: Mapping[str, int] | None = None,
) -> list[StopChange]:
    """Per-stop changes from the confirmed plan to the proposed one, versions bumped.

    `last_versions` holds the last version of stops that were once confirmed and later
    cancelled, so a stop that comes back continues its version sequence.
    """
    last_versions = last_versions or {}
    changes: list[StopChange] = []
    proposed_ids = set()
    for stop in sorted(proposed, key=lambda s: (s.starts_at, s.stop_id)):
        proposed_ids.add(stop.stop_id)
        current = confirmed.get(stop.stop_id)
        if current is None:
            version = last_versions.get(stop.stop_id, 0) + 1
            changes.append(StopChange(StopChangeKind.SCHEDULED, replace(stop, version=version)))
        elif not stop.same_plan_as(current):
            changes.append(
                StopChange(
                    StopChangeKind.RESCHEDULED, replace(stop, version=current.version + 1), current
                )
            )
    for stop_id, current in sorted(confirmed.items(), key=lambda kv: (kv[1].starts_at, kv[0])):
        if stop_id not in proposed_ids:
            changes.append(
                StopChange(
                    StopChangeKind.CANCELLED,
                    replace(current, version=current.version + 1),
                    current,
                    REPLANNED,
                )
            )
    return changes


class PreviewKind(StrEnum):
    """What confirming a proposal would do to one stop of the day's confirmed plan."""

    KEEP = "keep"
    MOVE = "move"  # time, place or what recipients are told changes
    CANCEL = "cancel"
    ADD = "add"


@dataclass(frozen=True)
class PlannedChange:
    """One line of a proposal's preview: the stop as proposed (as confirmed when cancelled)."""

    kind: PreviewKind
    stop: Stop
    previous: Stop | None = None  # the confirmed stop a kept or moved one replaces
    reason: str | None = None  # why a cancelled stop would be cancelled (Korean)


def preview_changes(confirmed: Mapping[str, Stop], proposed: Sequence[Stop]) -> list[PlannedChange]:
    """Keep, move, cancel and add, shown before confirmation: the same comparison the
    confirmation makes (`diff_itinerary`), plus the confirmed stops it leaves as they are."""
    kinds = {
        StopChangeKind.SCHEDULED: PreviewKind.ADD,
        StopChangeKind.RESCHEDULED: PreviewKind.MOVE,
        StopChangeKind.CANCELLED: PreviewKind.CANCEL,
    }
    changed = {c.stop.stop_id: c for c in diff_itinerary(confirmed, proposed)}
    preview = []
    for stop in proposed:
        change = changed.pop(stop.stop_id, None)
        if change is None:
            preview.append(PlannedChange(PreviewKind.KEEP, stop, confirmed[stop.stop_id]))
        else:
            preview.append(PlannedChange(kinds[change.change], stop, change.previous))
    preview += [PlannedChange(PreviewKind.CANCEL, c.previous or c.stop) for c in changed.values()]
    return sorted(preview, key=lambda c: (c.stop.starts_at, c.stop.stop_id))
