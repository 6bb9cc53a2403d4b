"""A proposal's solve must not stall the scheduler's event loop (OR-Tools holds the GIL)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import pytest

from schemas.vocabulary import SEOUL
from services.scheduler import handlers, horizon
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.commands import CreateVisitRequest
from services.scheduler.settings import SchedulerSettings

DAY = date(2026, 12, 1)
NOW = datetime(2026, 11, 30, 9, tzinfo=SEOUL)
SOLVE_SECONDS = 1.5
MAX_GAP_SECONDS = 0.1
VISITS = 20  # more than the exact solver takes, so OR-Tools searches for the whole time limit


@pytest.fixture
async def scheduler(tmp_path: Path) -> AsyncIterator[Scheduler]:
    """Built by the composition root; only the planner is started (no broker is needed)."""
    service = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=SOLVE_SECONDS),
        "127.0.0.1:1",
    )
    service.migrate()
    await service.planner.start()
    yield service
    await service.planner.stop()
    service.engine.dispose()


def visit(number: int) -> CreateVisitRequest:
    return CreateVisitRequest.model_validate(
        {
            "title": f"현장 방문 {number}",
            "purpose": "현장 점검",
            "category": "livelihood",
            "place": {
                "name": f"현장 {number}",
                "district": "중구",
                "latitude": 37.545 + (number % 5) * 0.01,
                "longitude": 126.965 + (number // 5) * 0.012,
            },
            "duration_minutes": 40,
            "windows": [
                {
                    "start": datetime(2026, 12, 1, 9, tzinfo=SEOUL),
                    "end": datetime(2026, 12, 1, 18, tzinfo=SEOUL),
                }
            ],
            "priority": 1 + number % 5,
            "requesting_department": "민생노동국",
        }
    )


async def test_the_loop_keeps_ticking_while_a_day_is_solved(scheduler: Scheduler) -> None:
    for number in range(VISITS):
        handlers.create_visit_request(scheduler.uow(), visit(number), NOW)
    gaps: list[float] = []
    solving = True

    async def ticker() -> None:
        last = time.perf_counter()
        while solving:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    proposal = await horizon.propose_day(
        scheduler.uow(),
        DAY,
        planner=scheduler.planner,
        working_day=scheduler.working_day,
        budget=scheduler.budget,
        now=NOW,
    )
    elapsed = time.perf_counter() - started
    solving = False
    await ticking

    assert proposal.stops, "the solve produced a plan"
    assert elapsed >= 1.0, f"the solve took {elapsed:.2f} s; too short to show a stall"
    assert max(gaps) < MAX_GAP_SECONDS, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"
