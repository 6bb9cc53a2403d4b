"""The realistic week proposed by the service (one range proposal): how fast, how good?

Loads the realistic week (services/cli/sample.py load_full_week, 150 requests) into a
scheduler on SQLite, starts the service's ProcessPoolPlanner (its start awaits the worker's
warm-up, as the service's start does), and asks POST /api/proposals {start: Monday, end:
Sunday} through the in-process HTTP app with the default settings: the search budget is
SCHEDULER_SOLVER_TIME_LIMIT_SECONDS per day, capped by SCHEDULER_SOLVER_PROPOSAL_LIMIT_SECONDS.
Every plan the worker returned is checked by week/check.py. Then the same proposal with a
--long budget (what a long search gives) and the value gap of the default proposal to it,
the Monday alone as a day proposal at the default budget, and `plan_week` on
services/sample_data/week_problem.json (what `dongseon plan` runs) at the week's budget.

    nice -n 19 .venv/bin/python bench/week_service.py [--long 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
from services.scheduler.horizon import SearchBudget, search_budget  # noqa: E402
from services.scheduler.planning.week import plan_week  # noqa: E402
from services.scheduler.planning.week.check import violations  # noqa: E402
from services.scheduler.settings import SchedulerSettings  # noqa: E402


class Recording(ProcessPoolPlanner):
    problem: PlanningProblem | None = None
    plan: WeekPlanOut | None = None
    limit: timedelta = timedelta(0)

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        self.limit = time_limit
        self.problem, self.plan = problem, await super().plan_week(problem, time_limit)
        return self.plan


def row(run: str, limit: float, wall: float, value: int, travel: int, placed: int, bad: int) -> str:
    return f"| {run} | {limit:.2f} | {wall:.2f} | {value} | {travel} | {placed} | {bad} |"


async def service_week(long: float) -> float:
    """Prints the service's rows; returns the default budget of a week, in seconds."""
    settings = SchedulerSettings(data_dir=Path(tempfile.mkdtemp()))
    planner = Recording(settings.planner_workers)
    scheduler = build_scheduler(settings, "127.0.0.1:1", planner=planner)
    scheduler.migrate()
    started = time.perf_counter()
    await planner.start()
    print(f"| planner start (worker warm-up, awaited) | – | {time.perf_counter() - started:.2f} |")
    monday = next_monday(datetime.now(SEOUL).date())
    loaded = load_full_week(scheduler, monday)
    app = build_http_app({"scheduler": scheduler.router}, {})
    transport = httpx.ASGITransport(app=app)
    body = {"start": str(monday), "end": str(monday + timedelta(days=6))}
    values: dict[str, int] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=600) as http:
        for run in ("first", "next", "long"):
            if run == "long":
                scheduler.budget = SearchBudget(timedelta(seconds=long), timedelta(seconds=long))
            began = time.perf_counter()
            response = await http.post("/api/proposals", json=body)
            wall = time.perf_counter() - began
            assert response.status_code == 201, response.text
            days = response.json()["days"]
            assert planner.problem is not None and planner.plan is not None
            values[run] = sum(d["total_value"] for d in days)
            print(
                row(
                    f"service, {run} POST /api/proposals, 7 days ({loaded} requests)",
                    planner.limit.total_seconds(),
                    wall,
                    values[run],
                    sum(d["total_travel_minutes"] for d in days),
                    sum(1 for d in days for s in d["stops"] if s["kind"] == "visit"),
                    len(violations(planner.problem, planner.plan)),
                )
            )
        scheduler.budget = search_budget(settings)
        began = time.perf_counter()
        response = await http.post("/api/proposals", json={"plan_date": str(monday)})
        wall = time.perf_counter() - began
        assert response.status_code == 201, response.text
        day = response.json()
        assert planner.problem is not None and planner.plan is not None
        print(
            row(
                "service, POST /api/proposals, Monday alone",
                planner.limit.total_seconds(),
                wall,
                day["total_value"],
                day["total_travel_minutes"],
                sum(1 for s in day["stops"] if s["kind"] == "visit"),
                len(violations(planner.problem, planner.plan)),
            )
        )
    await planner.stop()
    scheduler.engine.dispose()
    for run in ("first", "next"):
        gap = 100.0 * (values["long"] - values[run]) / values["long"] if values["long"] else 0.0
        print(f"\nvalue gap of the {run} proposal to the {long:g} s one: {gap:.2f} %", end="")
    print()
    return (
        SearchBudget(
            timedelta(seconds=settings.solver_time_limit_seconds),
            timedelta(seconds=settings.solver_proposal_limit_seconds),
        )
        .for_days(7)
        .total_seconds()
    )


def file_week(limit: float) -> None:
    problem = PlanningProblem.model_validate_json(PROBLEM_FILE.read_text(encoding="utf-8"))
    started = time.perf_counter()
    plan = plan_week(problem, timedelta(seconds=limit))
    wall = time.perf_counter() - started
    placed = sum(d.visits for d in plan.days)
    print("\n| run | limit s | wall s | value | travel min | visits placed | violations |")
    print("|---|---|---|---|---|---|---|")
    print(
        row(
            "`plan_week` on week_problem.json (`dongseon plan`)",
            limit,
            wall,
            plan.total_value,
            plan.total_travel_minutes,
            placed,
            len(violations(problem, plan)),
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--long", type=float, default=60.0, help="the long search, seconds")
    long = parser.parse_args().long
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores\n")
    print("| run | limit s | wall s | value | travel min | visits placed | violations |")
    print("|---|---|---|---|---|---|---|")
    budget = asyncio.run(service_week(long))
    file_week(budget)
