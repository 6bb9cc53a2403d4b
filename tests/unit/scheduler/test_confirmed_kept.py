"""A proposal keeps what is confirmed unless the scheduler asks to re-plan it, and shows
before confirmation what it would keep, move, cancel and add."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_handlers import NOW, at, confirm, make_scheduler, propose, visit

from schemas.scheduler import StopKind
from services.common.errors import InvalidInput
from services.scheduler import handlers
from services.scheduler.bootstrap import Scheduler
from services.scheduler.commands import CreateCommitment
from services.scheduler.domain.itinerary import PreviewKind, Stop, preview_changes
from services.scheduler.domain.proposals import Proposal, Replan
from services.scheduler.domain.requests import Place
from services.scheduler.planning.problem import PlanInfeasible

LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[Scheduler]:
    service = make_scheduler(tmp_path)
    yield service
    service.engine.dispose()


def meeting(start: int, end: int) -> CreateCommitment:
    return CreateCommitment.model_validate(
        {
            "title": "긴급 재난안전대책회의",
            "place": {"name": "시청", "district": "중구", "latitude": 37.566, "longitude": 126.978},
            "starts_at": at(start),
            "ends_at": at(end),
        }
    )


def preview_of(scheduler: Scheduler, proposal: Proposal) -> dict[str, tuple[PreviewKind, str]]:
    """Stop title → (what confirming would do, the reason of a cancellation)."""
    [preview] = handlers.previews(scheduler.uow(), [proposal]).values()
    return {c.stop.title: (c.kind, c.reason or "") for c in preview}


async def confirmed_low_priority_visit(scheduler: Scheduler) -> str:
    """A priority-1 visit confirmed 10–11 (its only hour), before a better request arrives."""
    low = visit("골목상권 방문", 10, 11).model_copy(update={"priority": 1})
    request = handlers.create_visit_request(scheduler.uow(), low, NOW)
    confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    better = visit("재난현장 점검", 10, 11).model_copy(update={"priority": 5})
    handlers.create_visit_request(scheduler.uow(), better, LATER)
    return request.id


async def test_a_confirmed_visit_is_kept_even_against_a_more_valuable_request(
    scheduler: Scheduler,
) -> None:
    await confirmed_low_priority_visit(scheduler)

    proposal = await propose(scheduler, now=LATER)

    assert [s.stop.title for s in proposal.stops] == ["골목상권 방문"]
    assert [d.title for d in proposal.dropped] == ["재난현장 점검"]
    assert preview_of(scheduler, proposal) == {"골목상권 방문": (PreviewKind.KEEP, "")}


async def test_a_released_visit_may_be_cancelled_and_the_preview_says_so_with_why(
    scheduler: Scheduler,
) -> None:
    low_id = await confirmed_low_priority_visit(scheduler)

    proposal = await propose(scheduler, now=LATER, replan=Replan(request_ids=frozenset({low_id})))

    preview = preview_of(scheduler, proposal)
    assert preview["재난현장 점검"] == (PreviewKind.ADD, "")
    kind, reason = preview["골목상권 방문"]
    assert kind == PreviewKind.CANCEL
    [dropped] = proposal.dropped
    assert reason == dropped.reason, "the reason its cancellation notices will give"
    everything = await propose(scheduler, now=LATER, replan=Replan(everything=True))
    assert preview_of(scheduler, everything) == preview


async def test_a_kept_visit_moves_within_its_day_and_the_preview_shows_from_when(
    scheduler: Scheduler,
) -> None:
    handlers.create_visit_request(scheduler.uow(), visit("전통시장 방문", 10, 15), NOW)
    first = await propose(scheduler)
    confirm(scheduler, first, NOW + timedelta(minutes=1))
    [confirmed] = [s.stop for s in first.stops]
    handlers.create_commitment(
        scheduler.uow(), meeting(confirmed.starts_at.hour, confirmed.starts_at.hour + 2), LATER
    )

    proposal = await propose(scheduler, now=LATER)

    preview = handlers.previews(scheduler.uow(), [proposal])[proposal.id]
    assert [(c.stop.title, c.kind) for c in preview if c.stop.title != "전통시장 방문"] == [
        ("긴급 재난안전대책회의", PreviewKind.ADD)
    ]
    [change] = [c for c in preview if c.stop.title == "전통시장 방문"]
    assert change.kind == PreviewKind.MOVE
    assert change.previous is not None and change.previous.starts_at == confirmed.starts_at
    assert change.stop.starts_at >= confirmed.starts_at + timedelta(hours=2)


async def test_a_clash_with_a_kept_visit_names_it_and_how_to_release_it(
    scheduler: Scheduler,
) -> None:
    low_id = await confirmed_low_priority_visit(scheduler)
    handlers.create_commitment(scheduler.uow(), meeting(9, 12), LATER)

    with pytest.raises(PlanInfeasible) as raised:
        await propose(scheduler, now=LATER)

    [conflict] = raised.value.conflicts
    assert low_id in conflict.candidate_ids
    assert "골목상권 방문(확정된 방문)" in conflict.reason and "replan" in conflict.reason


async def test_replan_names_only_confirmed_visits_of_the_planned_days(
    scheduler: Scheduler,
) -> None:
    await confirmed_low_priority_visit(scheduler)

    with pytest.raises(InvalidInput) as raised:
        await propose(scheduler, now=LATER, replan=Replan(request_ids=frozenset({"vr-nope"})))

    assert raised.value.field == "replan" and "vr-nope" in raised.value.reason


def stop(stop_id: str, hour: int, title: str | None = None) -> Stop:
    starts = at(hour)
    return Stop(
        stop_id=stop_id,
        source_id=stop_id.removeprefix("stop-"),
        kind=StopKind.VISIT,
        title=title or stop_id,
        purpose="점검",
        category="livelihood",
        policy_area=None,
        place=Place("시장", "서대문구", 37.57, 126.94),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        public=True,
        important=False,
        requesting_department="민생노동국",
    )


def test_the_preview_lists_every_stop_once_in_time_order() -> None:
    confirmed = {s.stop_id: s for s in (stop("stop-a", 9), stop("stop-b", 11), stop("stop-c", 13))}
    proposed = [stop("stop-a", 9), stop("stop-b", 15), stop("stop-d", 10)]

    preview = preview_changes(confirmed, proposed)

    assert [(c.stop.stop_id, c.kind) for c in preview] == [
        ("stop-a", PreviewKind.KEEP),
        ("stop-d", PreviewKind.ADD),
        ("stop-c", PreviewKind.CANCEL),
        ("stop-b", PreviewKind.MOVE),
    ]
    moved = preview[-1]
    assert moved.previous is not None and moved.previous.starts_at == at(11)
    assert preview[2].stop.starts_at == at(13), "a cancellation shows the confirmed time"
