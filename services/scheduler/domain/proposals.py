"""Proposals: a candidate itinerary per day, what the planner may offer, and stop ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from schemas.vocabulary import SEOUL
from services.common.errors import InvalidInput
from services.scheduler.domain.itinerary import Stop
from services.scheduler.domain.requests import Place, RequestStatus, VisitRequest
from services.scheduler.planning.problem import DropReason


class ProposalStatus(StrEnum):
    """A proposal waits, becomes the day's plan, or loses to another confirmed one."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class WorkingDay:
    """When the mayor's day may start and must end, and where it starts."""

    start: time
    end: time
    depot: Place


@dataclass(frozen=True)
class DroppedVisit:
    request_id: str
    title: str
    reason_code: DropReason
    reason: str
    mandatory: bool = False  # a mandatory request that could not be placed: act on it


@dataclass(frozen=True)
class ProposedStop:
    stop: Stop
    arrive_at: datetime
    travel_minutes: int


@dataclass(frozen=True)
class ProposedLunch:
    """The day's lunch break: shown among the stops, never confirmed or announced as one."""

    starts_at: datetime
    ends_at: datetime
    place: Place  # where the mayor is: the previous stop's place, or a named one
    title: str = "점심"


@dataclass(frozen=True)
class Proposal:
    """A candidate itinerary for one day; confirmed or not."""

    id: str
    plan_date: date
    created_at: datetime
    stops: tuple[ProposedStop, ...]
    dropped: tuple[DroppedVisit, ...]
    total_value: int
    total_travel_minutes: int
    return_at: datetime
    solver_status: str
    status: ProposalStatus = ProposalStatus.PROPOSED
    correlation_id: str | None = None  # of the request that asked for it; its events carry it
    group_id: str | None = None  # the range proposal (`pg-…`) this day belongs to, if any
    lunch: ProposedLunch | None = None  # None when a commitment covers it (or none is planned)


def offered_on(day: date, request: VisitRequest, scheduled_days: Mapping[str, date]) -> bool:
    """Whether the planner may place `request` on `day`.

    Withdrawn requests never are; a request on a confirmed plan only on its own day (so
    re-planning that day may keep or move it) until its stop is cancelled.
    """
    if request.status == RequestStatus.WITHDRAWN:
        return False
    confirmed_day = scheduled_days.get(request.id)
    return confirmed_day is None or confirmed_day == day


@dataclass(frozen=True)
class Replan:
    """Which confirmed visits a proposal may leave out: none unless the scheduler says so.

    A visit on a day's confirmed plan is kept by a proposal over that day (it may move
    within the day); naming it here, or asking for `everything`, lets the planner drop it.
    """

    everything: bool = False
    request_ids: frozenset[str] = frozenset()

    def releases(self, request_id: str) -> bool:
        return self.everything or request_id in self.request_ids


KEEP_CONFIRMED = Replan()  # the safe default: nothing confirmed is left out


def kept_visits(
    days: Sequence[date], scheduled_days: Mapping[str, date], replan: Replan
) -> frozenset[str]:
    """Requests whose confirmed visit lies on one of `days` and must stay on the plan.

    Raises InvalidInput naming `replan` for an id that is no confirmed visit of these days.
    """
    planned = set(days)
    on_days = {r for r, day in scheduled_days.items() if day in planned}
    unknown = sorted(replan.request_ids - on_days)
    if unknown:
        raise InvalidInput(
            "replan",
            f"이 기간에 확정된 방문이 아닙니다: {', '.join(unknown)}. "
            "확정된 방문의 요청 id(또는 stop id)를 주세요.",
        )
    return frozenset(r for r in on_days if not replan.releases(r))


def request_id_of(stop_or_request_id: str) -> str:
    """A visit's request id, given it or its stop id (`stop-<request id>`)."""
    return stop_or_request_id.removeprefix("stop-")


def visit_stop_id(request_id: str) -> str:
    return f"stop-{request_id}"


def commitment_stop_id(commitment_id: str, day: date) -> str:
    return f"stop-{commitment_id}-{day.isoformat()}"


def ensure_day_open(day: date, now: datetime) -> None:
    """A Seoul day that has ended can no longer be planned or confirmed."""
    if day < now.astimezone(SEOUL).date():
        raise InvalidInput(
            "plan_date", f"{day.isoformat()}은(는) 이미 지난 날이라 계획하거나 확정할 수 없습니다."
        )
