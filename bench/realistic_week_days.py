"""Can the service propose each day of the realistic sample week, one day at a time?

Loads the realistic week (services/sample_data/full_week.py, 150 requests) into a scheduler
on SQLite through the handlers, then asks for a day proposal for each of its 7 days (the
week model over a one-day range, `horizon.propose_day`, inline) at --time-limit seconds.
Prints a Markdown table: day, requests offered, wall time, stops placed, or the
infeasibility reported.

    nice -n 19 .venv/bin/python bench/realistic_week_days.py [--time-limit 1]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.vocabulary import SEOUL  # noqa: E402
from services.cli.sample import load_full_week, next_monday  # noqa: E402
from services.scheduler import handlers, horizon  # noqa: E402
from services.scheduler.adapters.planners import InlinePlanner  # noqa: E402
from services.scheduler.bootstrap import build_scheduler  # noqa: E402
from services.scheduler.planning.problem import PlanInfeasible  # noqa: E402
from services.scheduler.settings import SchedulerSettings  # noqa: E402


async def main(time_limit: float) -> None:
    settings = SchedulerSettings(
        data_dir=Path(tempfile.mkdtemp()), solver_time_limit_seconds=time_limit
    )
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=InlinePlanner())
    scheduler.migrate()
    monday = next_monday(datetime.now(SEOUL).date())
    loaded = load_full_week(scheduler, monday)
    requests = handlers.list_visit_requests(scheduler.uow())
    print(
        f"{platform.processor() or platform.machine()}, {loaded} requests, limit {time_limit} s\n"
    )
    print("| day | requests offered | wall s | outcome |")
    print("|---|---|---|---|")
    for offset in range(7):
        day = monday + timedelta(days=offset)
        offered = sum(1 for r in requests if r.windows_on(day))
        started = time.perf_counter()
        try:
            proposal = await horizon.propose_day(
                scheduler.uow(),
                day,
                planner=scheduler.planner,
                working_day=scheduler.working_day,
                budget=scheduler.budget,
                rules=scheduler.day_rules,
                now=datetime.now(SEOUL),
            )
            outcome = f"{len(proposal.stops)} stops, {len(proposal.dropped)} left out"
        except PlanInfeasible as error:
            outcome = "PlanInfeasible: " + "; ".join(c.reason for c in error.conflicts)
        wall = time.perf_counter() - started
        print(f"| {day:%a %m-%d} | {offered} | {wall:.2f} | {outcome} |")
    scheduler.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=1.0)
    asyncio.run(main(parser.parse_args().time_limit))
