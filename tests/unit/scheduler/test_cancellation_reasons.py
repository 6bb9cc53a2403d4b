"""A cancelled stop says why: withdrawn, or left out of the re-plan (and the planner's why)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_handlers import (
    NOW,
    at,
    confirm,
    make_scheduler,
    propose,
    published,
    visit,
)

from schemas.events import read_event
from schemas.scheduler import StopKind
from schemas.vocabulary import StopChangeKind
from services.scheduler import corrections, handlers
from services.scheduler.adapters.events import change_event
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import CreateCommitment
from services.scheduler.domain.itinerary import (
    COMMITMENT_WITHDRAWN,
    REPLANNED,
    REQUEST_WITHDRAWN,
    Stop,
    cancellation_reason,
    diff_itinerary,
)
from services.scheduler.domain.proposals import Replan
from services.scheduler.domain.requests import Place


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[Scheduler]:
    service = make_scheduler(tmp_path)
    yield service
    service.engine.dispose()


def commitment(start: int, end: int) -> CreateCommitment:
    return CreateCommitment.model_validate(
        {
            "title": "긴급 재난안전대책회의",
            "place": {"name": "시청", "district": "중구", "latitude": 37.566, "longitude": 126.978},
            "starts_at": at(start),
            "ends_at": at(end),
        }
    )


def last_changes(scheduler: Scheduler) -> list[dict[str, object]]:
    event = read_event(published(scheduler)[-1])
    return [c.model_dump(mode="json") for c in event.payload.changes]


def test_the_reason_is_the_withdrawal_else_the_planners_else_the_replan() -> None:
    assert cancellation_reason(StopKind.VISIT, withdrawn=True, dropped_reason="x") == (
        REQUEST_WITHDRAWN
    )
    assert cancellation_reason(StopKind.COMMITMENT, withdrawn=True, dropped_reason=None) == (
        COMMITMENT_WITHDRAWN
    )
    assert cancellation_reason(StopKind.VISIT, withdrawn=False, dropped_reason="시간 부족") == (
        "시간 부족"
    )
    assert cancellation_reason(StopKind.VISIT, withdrawn=False, dropped_reason=None) == REPLANNED


async def test_a_withdrawn_request_cancels_its_stop_as_withdrawn(scheduler: Scheduler) -> None:
    request = handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    first = confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    assert first.changes[0].reason is None and last_changes(scheduler)[0]["reason"] is None
    later = NOW + timedelta(minutes=2)
    corrections.withdraw_visit_request(scheduler.uow(), request.id, later)

    confirm(scheduler, await propose(scheduler, now=later), later + timedelta(minutes=1))

    [change] = last_changes(scheduler)
    assert (change["change"], change["reason"]) == ("cancelled", "요청 철회")


async def test_a_withdrawn_commitment_cancels_its_stop_as_withdrawn(scheduler: Scheduler) -> None:
    fixed = handlers.create_commitment(scheduler.uow(), commitment(10, 11), NOW)
    confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    corrections.withdraw_commitment(scheduler.uow(), fixed.id, later)

    confirm(scheduler, await propose(scheduler, now=later), later + timedelta(minutes=1))

    [change] = last_changes(scheduler)
    assert (change["change"], change["reason"]) == ("cancelled", "일정 철회")


async def test_a_visit_the_replan_drops_is_cancelled_with_the_planners_reason(
    scheduler: Scheduler,
) -> None:
    market = handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    # until 12:00, so that lunch (11:30–13:30, an hour) still fits after it
    handlers.create_commitment(scheduler.uow(), commitment(9, 12), later)

    replan = await propose(scheduler, now=later, replan=Replan(request_ids=frozenset({market.id})))
    confirm(scheduler, replan, later + timedelta(minutes=1))

    [dropped] = replan.dropped
    cancelled = [c for c in last_changes(scheduler) if c["change"] == "cancelled"]
    assert [c["reason"] for c in cancelled] == [dropped.reason]
    assert dropped.reason and dropped.reason != REPLANNED


def test_only_a_cancellation_publishes_a_reason() -> None:
    stop = Stop(
        stop_id="stop-vr-1",
        source_id="vr-1",
        kind=StopKind.VISIT,
        title="시장 방문",
        purpose="점검",
        category="livelihood",
        policy_area=None,
        place=Place("시장", "서대문구", 37.57, 126.94),
        starts_at=at(10),
        ends_at=at(11),
        public=True,
        important=False,
        requesting_department="민생노동국",
    )
    [cancelled] = diff_itinerary({stop.stop_id: stop}, [])
    [scheduled] = diff_itinerary({}, [stop])
    assert cancelled.reason == REPLANNED and change_event(cancelled).reason == REPLANNED
    assert scheduled.change == StopChangeKind.SCHEDULED
    assert change_event(scheduled).reason is None
