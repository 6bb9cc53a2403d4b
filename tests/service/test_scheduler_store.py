"""Corrections, week fields and range proposals on real SQLite and PostgreSQL (migrated)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler import corrections, handlers, horizon
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.commands import CreateCommitment, CreateVisitRequest
from services.scheduler.domain.requests import CommitmentStatus, RequestStatus
from services.scheduler.patches import CommitmentPatch
from services.scheduler.settings import SchedulerSettings

DAY = date(2026, 12, 1)
NOW = datetime(2026, 11, 30, 9, tzinfo=SEOUL)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL)


@pytest.fixture
def scheduler(database_url: str, tmp_path: Path) -> Iterator[Scheduler]:
    settings = SchedulerSettings(
        database_url=database_url, data_dir=tmp_path, solver_time_limit_seconds=1
    )
    service = build_scheduler(settings, "127.0.0.1:1", planner=InlinePlanner())
    service.migrate()
    yield service
    service.engine.dispose()


def council_meeting(*days: date) -> CreateVisitRequest:
    return CreateVisitRequest.model_validate(
        {
            "title": "교통위원회 간담회",
            "purpose": "요금 체계 개편안 설명",
            "category": "council_meeting",
            "place": {
                "name": "서울시의회",
                "district": "중구",
                "latitude": 37.5657,
                "longitude": 126.977,
            },
            "duration_minutes": 60,
            "windows": [{"start": at(d, 10), "end": at(d, 12)} for d in days],
            "priority": 4,
            "requesting_department": "대외협력과",
            "mandatory": True,
            "member_ids": ["m-001", "m-002"],
        },
        context={"today": NOW.date()},
    )


async def test_requests_and_commitments_keep_their_week_fields_and_corrections(
    scheduler: Scheduler,
) -> None:
    request = handlers.create_visit_request(scheduler.uow(), council_meeting(DAY), NOW)
    cabinet = handlers.create_commitment(
        scheduler.uow(),
        CreateCommitment.model_validate(
            {
                "title": "국무회의",
                "place": {
                    "name": "용산",
                    "district": "용산구",
                    "latitude": 37.5311,
                    "longitude": 126.9811,
                },
                "starts_at": at(DAY, 14),
                "ends_at": at(DAY, 15),
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "exdates": ["2026-12-08"],
                "covers_lunch": True,
            },
            context={"today": NOW.date()},
        ),
        NOW,
    )

    stored = corrections.get_visit_request(scheduler.uow(), request.id)
    assert (stored.mandatory, stored.member_ids) == (True, ("m-001", "m-002"))
    moved = corrections.edit_commitment(
        scheduler.uow(), cabinet.id, CommitmentPatch(exdates=[date(2026, 12, 15)]), NOW
    )
    again = corrections.get_commitment(scheduler.uow(), cabinet.id)
    assert again == moved and again.exdates == (date(2026, 12, 15),) and again.covers_lunch
    assert again.rrule == "FREQ=WEEKLY;BYDAY=TU"

    proposal = await horizon.propose_day(
        scheduler.uow(),
        DAY,
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=NOW,
    )
    handlers.confirm_proposal(scheduler.uow(), proposal.id, confirmed_by="a", now=NOW)
    corrections.withdraw_commitment(scheduler.uow(), cabinet.id, NOW)
    corrections.withdraw_visit_request(scheduler.uow(), request.id, NOW)
    assert (
        corrections.get_commitment(scheduler.uow(), cabinet.id).status == CommitmentStatus.WITHDRAWN
    )
    with scheduler.uow() as uow:
        assert uow.repo.has_stops(f"stop-{cabinet.id}-", prefix=True)
        assert uow.repo.scheduled_visit_days() == {request.id: DAY}

    replanned = await horizon.propose_day(
        scheduler.uow(),
        DAY,
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=NOW + timedelta(minutes=1),
    )
    later = NOW + timedelta(minutes=2)
    changes = handlers.confirm_proposal(scheduler.uow(), replanned.id, confirmed_by="a", now=later)
    assert sorted(c.change for c in changes.changes) == ["cancelled", "cancelled"]
    status = corrections.get_visit_request(scheduler.uow(), request.id).status
    assert status == RequestStatus.WITHDRAWN, "a cancelled stop does not reopen a withdrawn request"


async def test_a_range_proposal_is_stored_and_found_by_its_group(scheduler: Scheduler) -> None:
    handlers.create_visit_request(scheduler.uow(), council_meeting(DAY, DAY + timedelta(1)), NOW)
    proposed = await horizon.propose_range(
        scheduler.uow(),
        DAY,
        DAY + timedelta(days=1),
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=NOW,
    )
    found = horizon.get_range(scheduler.uow(), proposed.id)
    assert [p.id for p in found.days] == [p.id for p in proposed.days]
    assert sum(len(p.stops) for p in found.days) == 1
    assert [
        c.plan_version
        for c in horizon.confirm_range(scheduler.uow(), proposed.id, confirmed_by="a", now=NOW)
    ] == [1, 1]
