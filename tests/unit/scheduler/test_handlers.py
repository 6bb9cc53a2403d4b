"""The scheduler's use cases on SQLite, with the solver run inline (no processes, no broker)."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from schemas.events import read_event
from schemas.planning import PlanningProblem, WeekPlanOut
from schemas.vocabulary import SEOUL
from services.common.errors import InvalidInput
from services.scheduler import handlers, horizon
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.planners import InlinePlanner, warm_up
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.commands import CreateCommitment, CreateVisitRequest
from services.scheduler.domain.proposals import KEEP_CONFIRMED, Proposal, Replan
from services.scheduler.planning.problem import Conflict, PlanInfeasible
from services.scheduler.settings import SchedulerSettings

DAY = date(2026, 12, 1)
NOW = datetime(2026, 11, 30, 9, tzinfo=SEOUL)


def at(hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=SEOUL)


def visit(title: str, start: int, end: int) -> CreateVisitRequest:
    return CreateVisitRequest.model_validate(
        {
            "title": title,
            "purpose": f"{title} 점검",
            "category": "livelihood",
            "place": {
                "name": title,
                "district": "서대문구",
                "latitude": 37.57,
                "longitude": 126.94,
            },
            "duration_minutes": 60,
            "windows": [{"start": at(start), "end": at(end)}],
            "priority": 3,
            "requesting_department": "민생노동국",
        }
    )


def make_scheduler(tmp_path: Path, office_id: str = "seoul") -> Scheduler:
    settings = SchedulerSettings(
        data_dir=tmp_path, office_id=office_id, solver_time_limit_seconds=1
    )
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=InlinePlanner())
    scheduler.migrate()
    return scheduler


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[Scheduler]:
    service = make_scheduler(tmp_path)
    yield service
    service.engine.dispose()


async def propose(
    scheduler: Scheduler,
    now: datetime = NOW,
    correlation_id: str | None = None,
    replan: Replan = KEEP_CONFIRMED,
) -> Proposal:
    return await horizon.propose_day(
        scheduler.uow(),
        DAY,
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=now,
        correlation_id=correlation_id,
        replan=replan,
    )


def confirm(scheduler: Scheduler, proposal: Proposal, now: datetime) -> handlers.Confirmation:
    return handlers.confirm_proposal(
        scheduler.uow(), proposal.id, confirmed_by="일정팀", now=now, correlation_id="confirm-req"
    )


def published(scheduler: Scheduler) -> list[str]:
    with scheduler.uow() as uow:
        return list(
            uow.session.exec(select(SchedulerOutbox.body).order_by(col(SchedulerOutbox.seq)))
        )


async def test_confirmation_carries_the_proposals_correlation_id_and_office(
    tmp_path: Path,
) -> None:
    scheduler = make_scheduler(tmp_path, office_id="busan")
    handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    proposal = await propose(scheduler, correlation_id="propose-req")

    confirm(scheduler, proposal, NOW + timedelta(minutes=1))

    [body] = published(scheduler)
    event = read_event(body)
    assert event.correlation_id == "propose-req"
    assert event.office_id == "busan"
    scheduler.engine.dispose()


async def test_a_proposal_gets_a_correlation_id_of_its_own_when_none_is_given(
    scheduler: Scheduler,
) -> None:
    proposal = await propose(scheduler)
    assert proposal.correlation_id and uuid.UUID(proposal.correlation_id)
    assert handlers.get_proposal(scheduler.uow(), proposal.id).correlation_id == (
        proposal.correlation_id
    )


async def test_each_office_sees_only_its_own_requests(tmp_path: Path) -> None:
    seoul, busan = make_scheduler(tmp_path, "seoul"), make_scheduler(tmp_path, "busan")
    handlers.create_visit_request(seoul.uow(), visit("시장 방문", 10, 12), NOW)

    assert [r.title for r in handlers.list_visit_requests(seoul.uow())] == ["시장 방문"]
    assert handlers.list_visit_requests(busan.uow()) == []
    assert (await propose(busan)).stops == ()
    seoul.engine.dispose()
    busan.engine.dispose()


async def test_confirming_the_plan_already_confirmed_publishes_nothing(
    scheduler: Scheduler,
) -> None:
    handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    first = confirm(scheduler, await propose(scheduler), NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)

    again = confirm(scheduler, await propose(scheduler, now=later), later + timedelta(minutes=1))

    assert (again.plan_version, again.proposal_id, again.changes) == (
        first.plan_version,
        first.proposal_id,
        [],
    )
    assert len(published(scheduler)) == 1


async def test_a_day_that_has_ended_cannot_be_planned(scheduler: Scheduler) -> None:
    after_the_day = datetime(2026, 12, 2, 0, 0, tzinfo=SEOUL)
    with pytest.raises(InvalidInput) as raised:
        await propose(scheduler, now=after_the_day)
    assert raised.value.field == "plan_date"
    assert "지난" in raised.value.reason


async def test_a_day_that_has_ended_cannot_be_confirmed(scheduler: Scheduler) -> None:
    handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    proposal = await propose(scheduler)
    late_evening = datetime(2026, 12, 1, 23, 59, tzinfo=SEOUL)
    assert confirm(scheduler, proposal, late_evening).plan_version == 1, "the day is not over"

    with pytest.raises(InvalidInput) as raised:
        confirm(
            scheduler,
            await propose(scheduler, now=late_evening),
            late_evening.replace(day=2, hour=0),
        )
    assert raised.value.field == "plan_date"


def test_an_infeasible_plan_crosses_a_process_boundary_with_its_conflicts() -> None:
    conflict = Conflict(("a", "b"), "overlap", "'국무회의'와 '기자설명회'가 겹칩니다.")
    copy = pickle.loads(pickle.dumps(PlanInfeasible((conflict,))))
    assert copy.conflicts == (conflict,)
    assert "국무회의" in str(copy)


def test_a_commitment_recurs_by_its_rrule_except_on_its_exception_dates() -> None:
    from services.scheduler.domain.requests import Commitment, Place

    tuesday = datetime(2026, 12, 1, 10, tzinfo=SEOUL)
    cabinet = Commitment(
        id="cm-1",
        title="국무회의",
        purpose="",
        category="fixed_commitment",
        policy_area=None,
        place=Place("용산 대통령실", "용산구", 37.5311, 126.9811),
        starts_at=tuesday,
        ends_at=tuesday + timedelta(minutes=90),
        public=True,
        important=False,
        requesting_department="기획조정실",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=(date(2026, 12, 8),),
    )
    assert cabinet.occurrence_on(date(2026, 12, 15)) == (
        datetime(2026, 12, 15, 10, tzinfo=SEOUL),
        datetime(2026, 12, 15, 11, 30, tzinfo=SEOUL),
    )
    assert cabinet.occurrence_on(date(2026, 12, 8)) is None, "the cancelled week"
    assert cabinet.occurrence_on(date(2026, 12, 16)) is None, "a Wednesday"
    assert cabinet.occurrence_on(date(2026, 11, 24)) is None, "before it began"


async def test_a_mandatory_request_is_placed_before_more_valuable_optional_ones(
    scheduler: Scheduler,
) -> None:
    for title in ("우선 방문 1", "우선 방문 2"):
        command = visit(title, 10, 12).model_copy(update={"priority": 5})
        handlers.create_visit_request(scheduler.uow(), command, NOW)
    must = visit("법정 행사", 10, 12).model_copy(update={"priority": 1, "mandatory": True})
    handlers.create_visit_request(scheduler.uow(), must, NOW)

    proposal = await propose(scheduler)

    titles = [s.stop.title for s in proposal.stops]
    assert "법정 행사" in titles and len(titles) == 2, titles
    assert proposal.total_value == 81 + 1, "reported at the priorities' own values"
    assert not any(d.mandatory for d in proposal.dropped)


async def test_mandatory_requests_that_cannot_all_fit_are_named_together(
    scheduler: Scheduler,
) -> None:
    ids = []
    for title in ("법정 행사 1", "법정 행사 2"):
        command = visit(title, 10, 11).model_copy(update={"mandatory": True})
        ids.append(handlers.create_visit_request(scheduler.uow(), command, NOW).id)

    with pytest.raises(PlanInfeasible) as raised:
        await propose(scheduler)

    [conflict] = raised.value.conflicts
    assert set(conflict.candidate_ids) == set(ids), "the smallest conflicting set"
    assert "법정 행사 1" in conflict.reason and "법정 행사 2" in conflict.reason


async def test_a_day_proposal_shows_its_lunch_which_is_never_confirmed_as_a_stop(
    scheduler: Scheduler,
) -> None:
    handlers.create_visit_request(scheduler.uow(), visit("시장 방문", 10, 12), NOW)
    handlers.create_visit_request(scheduler.uow(), visit("복지관 방문", 12, 15), NOW)

    proposal = await propose(scheduler)

    lunch = proposal.lunch
    assert lunch is not None and lunch.title == "점심"
    assert at(11) + timedelta(minutes=30) <= lunch.starts_at
    assert lunch.ends_at <= at(13) + timedelta(minutes=30)
    assert lunch.ends_at - lunch.starts_at == timedelta(minutes=60)
    places = {scheduler.working_day.depot} | {s.stop.place for s in proposal.stops}
    assert lunch.place in places, "taken where the mayor is"
    for s in proposal.stops:
        assert s.stop.ends_at <= lunch.starts_at or lunch.ends_at <= s.stop.starts_at
    assert handlers.get_proposal(scheduler.uow(), proposal.id).lunch == lunch, "stored with it"

    confirm(scheduler, proposal, NOW + timedelta(minutes=1))

    [body] = published(scheduler)
    titles = [change.stop.title for change in read_event(body).payload.changes]
    assert sorted(titles) == ["복지관 방문", "시장 방문"], "lunch is not a stop"
    with scheduler.uow() as uow:
        assert sorted(s.title for s in uow.repo.stops_on(DAY).values()) == sorted(titles)


async def test_a_commitment_that_covers_lunch_leaves_no_lunch_of_its_own(
    scheduler: Scheduler,
) -> None:
    luncheon = CreateCommitment.model_validate(
        {
            "title": "언론사 오찬 간담회",
            "place": {
                "name": "프레스센터",
                "district": "중구",
                "latitude": 37.5668,
                "longitude": 126.978,
            },
            "starts_at": at(12),
            "ends_at": at(13),
            "covers_lunch": True,
        }
    )
    handlers.create_commitment(scheduler.uow(), luncheon, NOW)

    proposal = await propose(scheduler)

    assert [s.stop.title for s in proposal.stops] == ["언론사 오찬 간담회"]
    assert proposal.lunch is None


def test_a_proposal_searches_per_day_up_to_its_cap() -> None:
    budget = horizon.SearchBudget(per_day=timedelta(seconds=1), cap=timedelta(seconds=4))
    assert budget.for_days(1) == timedelta(seconds=1)
    assert budget.for_days(3) == timedelta(seconds=3)
    assert budget.for_days(7) == timedelta(seconds=4), "a week answers within the cap"
    assert budget.for_days(14) == timedelta(seconds=4)


async def test_the_planner_is_given_the_budget_of_the_range(tmp_path: Path) -> None:
    limits: list[timedelta] = []

    class Recording(InlinePlanner):
        async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
            limits.append(time_limit)
            return await super().plan_week(problem, timedelta(seconds=0.05))

    settings = SchedulerSettings(
        data_dir=tmp_path, solver_time_limit_seconds=0.5, solver_proposal_limit_seconds=2
    )
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=Recording())
    scheduler.migrate()
    common = dict(
        planner=scheduler.planner, working_day=scheduler.working_day, budget=scheduler.budget
    )
    await horizon.propose_day(scheduler.uow(), DAY, now=NOW, **common)  # type: ignore[arg-type]
    await horizon.propose_range(
        scheduler.uow(),
        DAY,
        DAY + timedelta(days=6),
        now=NOW,
        **common,  # type: ignore[arg-type]
    )
    assert limits == [timedelta(seconds=0.5), timedelta(seconds=2)]
    scheduler.engine.dispose()


def test_a_worker_warms_up_by_planning_a_tiny_week() -> None:
    """ProcessPoolPlanner.start awaits this in every worker before the service answers."""
    assert warm_up() == 1, "the warm-up's own problem is valid and its visit placed"
