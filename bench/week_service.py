"""The realistic week proposed by the service (one range proposal) vs `dongseon plan` on the file.

Loads the realistic week (services/cli/sample.py load_full_week, 150 requests) into a
scheduler on SQLite, asks POST /api/proposals {start: Monday, end: Sunday} through the
in-process HTTP app with the service's ProcessPoolPlanner (the week planner in its worker
process), checks the plan the worker returned with week/check.py, and prints wall time and
value. Then solves services/sample_data/week_problem.json with `plan_week` (what
`dongseon plan` runs) at the same total limit. `--time-limit` is the per-day setting
(SCHEDULER_SOLVER_TIME_LIMIT_SECONDS); the week gets it seven times.

    nice -n 19 .venv/bin/python bench/week_service.py [--time-limit 0.57]
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

import httpx  # noqa: E402

from schemas.planning import PlanningProblem, WeekPlanOut  # noqa: E402
from schemas.vocabulary import SEOUL  # noqa: E402
from services.cli.app import build_http_app  # noqa: E402
from services.cli.sample import load_full_week, next_monday  # noqa: E402
from services.sample_data.week_problem import PROBLEM_FILE  # noqa: E402
from services.scheduler.adapters.planners import ProcessPoolPlanner  # noqa: E402
from services.scheduler.bootstrap import build_scheduler  # noqa: E402
from services.scheduler.planning.travel import SeoulRoadEstimate  # noqa: E402
from services.scheduler.planning.week import plan_week  # noqa: E402
from services.scheduler.planning.week.check import violations  # noqa: E402
from services.scheduler.settings import SchedulerSettings  # noqa: E402


class Recording(ProcessPoolPlanner):
    problem: PlanningProblem | None = None
    plan: WeekPlanOut | None = None

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        self.problem, self.plan = problem, await super().plan_week(problem, time_limit)
        return self.plan


async def service_week(per_day: float) -> None:
    settings = SchedulerSettings(
        data_dir=Path(tempfile.mkdtemp()), solver_time_limit_seconds=per_day
    )
    planner = Recording(SeoulRoadEstimate())
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=planner)
    scheduler.migrate()
    await planner.start()  # warm the worker, as the service does at start
    monday = next_monday(datetime.now(SEOUL).date())
    loaded = load_full_week(scheduler, monday)
    app = build_http_app({"scheduler": scheduler.router}, {})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=600) as http:
        for run in ("first", "second"):  # the first also loads the week planner in the worker
            body = {"start": str(monday), "end": str(monday + timedelta(days=6))}
            started = time.perf_counter()
            response = await http.post("/api/proposals", json=body)
            wall = time.perf_counter() - started
            assert response.status_code == 201, response.text
            days = response.json()["days"]
            assert planner.problem is not None and planner.plan is not None
            broken = violations(planner.problem, planner.plan)
            placed = sum(1 for d in days for s in d["stops"] if s["kind"] == "visit")
            value = sum(d["total_value"] for d in days)
            travel = sum(d["total_travel_minutes"] for d in days)
            print(
                f"| service, {run} POST /api/proposals, 7 days ({loaded} requests) | "
                f"{per_day * 7:.2f} | {wall:.2f} | {value} | {travel} | {placed} | {len(broken)} |"
            )
    await planner.stop()
    scheduler.engine.dispose()


def file_week(limit: float) -> None:
    problem = PlanningProblem.model_validate_json(PROBLEM_FILE.read_text(encoding="utf-8"))
    started = time.perf_counter()
    plan = plan_week(problem, timedelta(seconds=limit))
    wall = time.perf_counter() - started
    placed = sum(d.visits for d in plan.days)
    print(
        f"| plan_week on week_problem.json (`dongseon plan`) | {limit:.2f} | {wall:.2f} | "
        f"{plan.total_value} | {plan.total_travel_minutes} | {placed} | "
        f"{len(violations(problem, plan))} |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=0.57, help="per day, seconds")
    per_day = parser.parse_args().time_limit
    print(f"{platform.processor() or platform.machine()}\n")
    print("| run | limit s | wall s | value | travel min | visits placed | violations |")
    print("|---|---|---|---|---|---|---|")
    asyncio.run(service_week(per_day))
    file_week(per_day * 7)
