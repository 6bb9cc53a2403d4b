"""The day planner proposes the dense days of the realistic week.

OR-Tools' first-solution heuristics found nothing on days where a fixed commitment meets
some 25 optional visits, and the service then called the day infeasible; the search now
starts from the fixed items alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from schemas.vocabulary import SEOUL
from services.cli.sample import load_full_week, next_monday
from services.scheduler import horizon
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DENSE_DAYS = (1, 4)  # Tuesday (cabinet meeting) and Friday (press briefing), ~30 visits each


async def test_the_dense_days_of_the_realistic_week_get_a_proposal(tmp_path: Path) -> None:
    settings = SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=0.5)
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=InlinePlanner())
    scheduler.migrate()
    now = datetime.now(SEOUL)
    monday = next_monday(now.date())
    load_full_week(scheduler, monday)
    try:
        for offset in DENSE_DAYS:
            day = monday + timedelta(days=offset)
            proposal = await horizon.propose_day(
                scheduler.uow(),
                day,
                planner=scheduler.planner,
                working_day=scheduler.working_day,
                budget=scheduler.budget,
                now=now,
            )
            assert proposal.stops, f"{day} got an empty plan"
    finally:
        scheduler.engine.dispose()
