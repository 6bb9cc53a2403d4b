"""Does a shorter solver time limit cost value on day-sized problems?

Plans the sample week (as if every request were open) and random 25-candidate Seoul days
with the production planner at several time limits, and prints the value and travel per
day for each limit. Equal rows mean the extra seconds bought nothing.

    .venv/bin/python bench/time_limit_quality.py [--limits 0.3 1 3] [--random-days 6]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.vocabulary import SEOUL
from services.cli.sample import sample_commands  # noqa: E402
from services.sample_data.catalog import load_catalog  # noqa: E402
from services.scheduler.domain.proposals import WorkingDay, planning_problem  # noqa: E402
from services.scheduler.domain.requests import Commitment, Place, VisitRequest  # noqa: E402
from services.scheduler.handlers import commitment_from, visit_request_from  # noqa: E402
from services.scheduler.planning.model import plan_day  # noqa: E402
from services.scheduler.planning.problem import TimeWindow  # noqa: E402
from services.scheduler.planning.travel import SeoulRoadEstimate  # noqa: E402
from services.scheduler.settings import SchedulerSettings  # noqa: E402

MONDAY = date(2026, 11, 30)


def sample_week() -> list[tuple[str, date, list[VisitRequest], list[Commitment]]]:
    commitment_commands, request_commands = sample_commands(load_catalog(), MONDAY)
    visits = [visit_request_from(c, f"wk-{i}") for i, c in enumerate(request_commands)]
    fixed = [commitment_from(c, f"cm-{i}") for i, c in enumerate(commitment_commands)]
    return [
        (f"sample {MONDAY + timedelta(days=d):%a}", MONDAY + timedelta(days=d), visits, fixed)
        for d in range(5)
    ]


def random_days(
    count: int, size: int = 25
) -> list[tuple[str, date, list[VisitRequest], list[Commitment]]]:
    rng = random.Random(7)
    days = []
    for n in range(count):
        visits = []
        for i in range(size):
            start = datetime(2026, 11, 30, rng.randint(8, 18), tzinfo=SEOUL)
            minutes = rng.choice([30, 45, 60, 90])
            slack = rng.choice([30, 60, 120, 240])
            visits.append(
                VisitRequest(
                    id=f"r{i}",
                    title=f"visit {i}",
                    purpose="-",
                    category="livelihood",
                    policy_area=None,
                    place=Place(
                        "-", "중구", 37.45 + rng.random() * 0.25, 126.85 + rng.random() * 0.3
                    ),
                    duration=timedelta(minutes=minutes),
                    windows=(TimeWindow(start, start + timedelta(minutes=minutes + slack)),),
                    priority=rng.randint(1, 5),
                    public=True,
                    important=False,
                    requesting_department="-",
                )
            )
        days.append((f"random {n + 1} ({size})", MONDAY, visits, []))
    return days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", type=float, nargs="+", default=[0.3, 1.0, 3.0])
    parser.add_argument("--random-days", type=int, default=6)
    args = parser.parse_args()
    settings = SchedulerSettings()
    working_day = WorkingDay(
        settings.day_start,
        settings.day_end,
        Place(
            settings.depot_name,
            settings.depot_district,
            settings.depot_latitude,
            settings.depot_longitude,
        ),
    )
    travel = SeoulRoadEstimate()
    headers = ["day", *(f"value / travel @ {limit:g} s" for limit in args.limits)]
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    totals = [0.0] * len(args.limits)
    for label, day, visits, fixed in sample_week() + random_days(args.random_days):
        cells = []
        for i, limit in enumerate(args.limits):
            problem = planning_problem(day, visits, fixed, working_day, timedelta(seconds=limit))
            started = time.perf_counter()
            plan = plan_day(problem.request, travel)
            totals[i] += time.perf_counter() - started
            cells.append(f"{plan.total_value} / {plan.total_travel_minutes} min")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| total solver seconds | " + " | ".join(f"{t:.1f}" for t in totals) + " |")


if __name__ == "__main__":
    main()
