"""Handlers against real databases: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED, read_event
from schemas.vocabulary import SEOUL
from services.briefing import handlers as briefing_handlers
from services.briefing.adapters.orm import BriefingOutbox
from services.briefing.bootstrap import build_briefing_service
from services.briefing.settings import BriefingSettings
from services.common.errors import StateConflict
from services.notifier import handlers as notifier_handlers
from services.notifier.adapters.orm import DeliveryRow
from services.notifier.bootstrap import build_notifier
from services.notifier.domain.recipients import CouncilMember
from services.notifier.settings import NotifierSettings
from services.sample_data.geography import packaged_districts
from services.scheduler import handlers, horizon
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.commands import CreateCommitment, CreateVisitRequest
from services.scheduler.domain.proposals import KEEP_CONFIRMED, Replan
from services.scheduler.planning.problem import PlanInfeasible
from services.scheduler.settings import SchedulerSettings

DAY = date(2026, 12, 1)
NOW = datetime(2026, 11, 23, 9, tzinfo=SEOUL)
DISTRICTS = packaged_districts()
UNUSED_BROKER = "127.0.0.1:1"  # these tests never start the broker


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=SEOUL)


def request(
    title: str, district: str, start: int, end: int, priority: int = 3
) -> CreateVisitRequest:
    return CreateVisitRequest.model_validate(
        {
            "title": title,
            "purpose": f"{title} 점검",
            "category": "livelihood",
            "policy_area": "economy",
            "place": {
                "name": title,
                "district": district,
                "latitude": DISTRICTS[district].centroid_latitude,
                "longitude": DISTRICTS[district].centroid_longitude,
            },
            "duration_minutes": 60,
            "windows": [{"start": at(start), "end": at(end)}],
            "priority": priority,
            "requesting_department": "민생노동국",
        }
    )


@pytest.fixture
def scheduler(database_url: str, tmp_path: Path) -> Scheduler:
    settings = SchedulerSettings(
        database_url=database_url, data_dir=tmp_path, solver_time_limit_seconds=1
    )
    # The solver's own process is tested in tests/service/test_loop_stall.py; here the
    # databases are under test, so the plan is made in this thread.
    service = build_scheduler(settings, UNUSED_BROKER, planner=InlinePlanner())
    service.migrate()
    yield service
    service.engine.dispose()


async def propose(scheduler: Scheduler, replan: Replan = KEEP_CONFIRMED):  # type: ignore[no-untyped-def]
    return await horizon.propose_day(
        scheduler.uow(),
        DAY,
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=NOW,
        replan=replan,
    )


def staged_itinerary_events(scheduler: Scheduler) -> list:  # type: ignore[type-arg]
    with scheduler.uow() as uow:
        rows = uow.session.exec(select(SchedulerOutbox).order_by(SchedulerOutbox.seq)).all()
    return [
        read_event(row.body).payload for row in rows if row.event_type == ITINERARY_CONFIRMED.type
    ]


async def test_confirm_then_replan_publishes_only_what_changed(scheduler: Scheduler) -> None:
    market = handlers.create_visit_request(
        scheduler.uow(), request("시장 방문", "서대문구", 10, 12), NOW
    )
    clinic = handlers.create_visit_request(
        scheduler.uow(), request("의료원 방문", "중랑구", 14, 17), NOW
    )

    first = await propose(scheduler)
    assert {s.stop.source_id for s in first.stops} == {market.id, clinic.id}
    confirmation = handlers.confirm_proposal(
        scheduler.uow(),
        first.id,
        confirmed_by="일정팀",
        correlation_id="c-1",
        now=NOW,
    )
    assert confirmation.plan_version == 1
    assert [c.change for c in confirmation.changes] == ["scheduled", "scheduled"]

    handlers.create_commitment(
        scheduler.uow(),
        CreateCommitment.model_validate(
            {
                "title": "긴급 회의",
                "place": {
                    "name": "시청",
                    "district": "중구",
                    "latitude": 37.5663,
                    "longitude": 126.9779,
                },
                "starts_at": at(13),
                "ends_at": at(18),
            }
        ),
        NOW,
    )
    with pytest.raises(PlanInfeasible) as kept:
        await propose(scheduler)  # the confirmed clinic visit is kept by default
    [conflict] = kept.value.conflicts
    assert clinic.id in conflict.candidate_ids and "확정된 방문" in conflict.reason
    second = await propose(scheduler, Replan(request_ids=frozenset({clinic.id})))
    replan = handlers.confirm_proposal(
        scheduler.uow(),
        second.id,
        confirmed_by="일정팀",
        correlation_id="c-2",
        now=NOW,
    )
    changes = {c.stop.stop_id: c for c in replan.changes}
    assert replan.plan_version == 2
    assert changes[f"stop-{clinic.id}"].change == "cancelled"
    assert changes[f"stop-{clinic.id}"].stop.version == 2
    assert f"stop-{market.id}" not in changes
    assert [
        r.status for r in handlers.list_visit_requests(scheduler.uow()) if r.id == clinic.id
    ] == ["open"]

    events = staged_itinerary_events(scheduler)
    assert [e.plan_version for e in events] == [1, 2]
    assert [c.change.value for c in events[1].changes] == ["scheduled", "cancelled"]


async def test_a_proposal_older_than_the_last_confirmation_is_refused(scheduler: Scheduler) -> None:
    handlers.create_visit_request(scheduler.uow(), request("시장 방문", "서대문구", 10, 12), NOW)
    stale, fresh = await propose(scheduler), await propose(scheduler)
    handlers.confirm_proposal(
        scheduler.uow(), fresh.id, confirmed_by="a", correlation_id="c", now=NOW
    )
    with pytest.raises(StateConflict):
        handlers.confirm_proposal(
            scheduler.uow(), stale.id, confirmed_by="a", correlation_id="c", now=NOW
        )
    assert len(staged_itinerary_events(scheduler)) == 1


async def test_briefing_and_notices_are_idempotent_per_event_and_per_stop_version(
    scheduler: Scheduler, database_url: str, tmp_path: Path
) -> None:
    handlers.create_visit_request(scheduler.uow(), request("시장 방문", "서대문구", 10, 12), NOW)
    proposal = await propose(scheduler)
    handlers.confirm_proposal(
        scheduler.uow(), proposal.id, confirmed_by="a", correlation_id="c", now=NOW
    )
    with scheduler.uow() as uow:
        itinerary = read_event(uow.session.exec(select(SchedulerOutbox)).one().body)

    briefing = build_briefing_service(
        BriefingSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
    )
    briefing.migrate()
    build = lambda envelope: briefing_handlers.when_itinerary_confirmed_build_briefings(  # noqa: E731
        briefing.uow(), envelope, records=briefing.record_source, now=datetime.now(UTC)
    )
    assert build(itinerary) == 1
    assert build(itinerary) == 0, "the same event again changes nothing"
    redelivered = itinerary.model_copy(update={"id": uuid.uuid4()})
    assert build(redelivered) == 0, "a re-published event for the same stop version builds nothing"
    with briefing.uow() as uow:
        [ready] = [read_event(r.body) for r in uow.session.exec(select(BriefingOutbox)).all()]
    assert ready.type == BRIEFING_READY.type

    notifier = build_notifier(
        NotifierSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
    )
    notifier.migrate()
    roster = [
        CouncilMember(
            "m-1",
            "가온",
            "m1@council.example.kr",
            "서대문구",
            frozenset({"기획경제위원회"}),
            frozenset(),
            "가나다당",
        ),
        CouncilMember(
            "m-2",
            "나래",
            "m2@council.example.kr",
            "강남구",
            frozenset({"교통위원회"}),
            frozenset(),
            "라마바당",
        ),
    ]
    notifier_handlers.load_roster(notifier.uow(), roster, NOW)
    queue = lambda envelope: notifier_handlers.when_briefing_ready_queue_notices(  # noqa: E731
        notifier.uow(), envelope, organizer_email="s@example.kr", now=datetime.now(UTC)
    )
    assert queue(ready) == 1
    assert queue(ready) == 0
    assert queue(ready.model_copy(update={"id": uuid.uuid4()})) == 0
    with notifier.uow() as uow:
        deliveries = uow.session.exec(select(DeliveryRow)).all()
    assert [(d.member_id, d.status) for d in deliveries] == [("m-1", "pending")]

    token = notifier_handlers.feed_token(notifier.uow(), "m-1", NOW)
    feed = notifier_handlers.member_feed(notifier.uow(), "m-1", token, NOW)
    assert b"UID:stop-" in feed and "시장 방문".encode() in feed
    other = notifier_handlers.member_feed(
        notifier.uow(), "m-2", notifier_handlers.feed_token(notifier.uow(), "m-2", NOW), NOW
    )
    assert b"BEGIN:VEVENT" not in other

    for service in (briefing, notifier):
        service.engine.dispose()


def test_migrations_are_repeatable(database_url: str, tmp_path: Path) -> None:
    for _ in range(2):
        for service in (
            build_scheduler(
                SchedulerSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
            ),
            build_notifier(
                NotifierSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
            ),
            build_briefing_service(
                BriefingSettings(database_url=database_url, data_dir=tmp_path), UNUSED_BROKER
            ),
        ):
            service.migrate()
            service.engine.dispose()
