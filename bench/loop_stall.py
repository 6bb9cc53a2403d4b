"""Does the scheduler's event loop keep running while a day is solved? (issue: the loop stall)

Plans the same day of 20 visits (the week model, one day) three ways and samples the event loop every 5 ms meanwhile:
the solver in a worker process (what the scheduler runs), in a thread (`asyncio.to_thread`,
what it ran before: OR-Tools holds the GIL) and inline (for reference). Prints a Markdown
table of loop ticks, the longest gap between ticks and the 99th percentile.

    .venv/bin/python bench/loop_stall.py [--time-limit 2]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.planning import PlanningProblem, WeekPlanOut  # noqa: E402
from services.scheduler.adapters.planners import InlinePlanner, ProcessPoolPlanner  # noqa: E402
from services.scheduler.planning.week import plan_week  # noqa: E402

DAY = date(2026, 12, 1)


class ThreadPlanner:
    """The scheduler before the fix: the solve in a thread of the loop's own process."""

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        return await asyncio.to_thread(plan_week, problem, time_limit)


def day_of_visits(count: int) -> PlanningProblem:
    """One 09:00–18:00 day from and to City Hall, `count` optional 40-minute visits."""
    window = {"start": f"{DAY}T09:00", "end": f"{DAY}T18:00"}
    return PlanningProblem.model_validate(
        {
            "days": [
                {
                    "date": DAY,
                    "start": "09:00",
                    "end": "18:00",
                    "start_place_id": "hall",
                    "end_place_id": "hall",
                }
            ],
            "places": [
                {
                    "id": "hall",
                    "name": "서울시청",
                    "district": "중구",
                    "lat": 37.5663,
                    "lon": 126.9779,
                },
                *(
                    {
                        "id": f"p{n}",
                        "name": f"현장 {n}",
                        "district": "중구",
                        "lat": 37.545 + (n % 5) * 0.01,
                        "lon": 126.965 + (n // 5) * 0.012,
                    }
                    for n in range(count)
                ),
            ],
            "requests": [
                {
                    "id": f"v{n}",
                    "title": f"현장 {n}",
                    "place_id": f"p{n}",
                    "duration_minutes": 40,
                    "windows": [window],
                    "priority": 1 + n % 5,
                    "category": "livelihood",
                }
                for n in range(count)
            ],
        }
    )


async def measure(planner: object, problem: PlanningProblem, limit: float) -> dict[str, object]:
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
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await planner.plan_week(problem, timedelta(seconds=limit))  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    solving = False
    await ticking
    ordered = sorted(gaps)
    return {
        "solve s": f"{elapsed:.2f}",
        "loop ticks": len(gaps),
        "longest gap ms": f"{ordered[-1] * 1000:.0f}",
        "p99 gap ms": f"{ordered[int(len(ordered) * 0.99) - 1] * 1000:.1f}",
        "median gap ms": f"{statistics.median(ordered) * 1000:.1f}",
    }


async def main(time_limit: float, visits: int) -> None:
    problem = day_of_visits(visits)
    process = ProcessPoolPlanner()
    await process.start()  # the workers are warm, as in service
    rows = [
        ("worker process (now)", await measure(process, problem, time_limit)),
        ("asyncio.to_thread (before)", await measure(ThreadPlanner(), problem, time_limit)),
        (
            "inline (reference)",
            await measure(InlinePlanner(), problem, time_limit),
        ),
    ]
    await process.stop()
    print(f"{visits} visits, solver time limit {time_limit} s; ticker sleeps 5 ms")
    print(f"Machine: {platform.machine()}, {platform.python_version()}\n")
    columns = list(rows[0][1])
    print("| planner | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, row in rows:
        print(f"| {name} | " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--visits", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.time_limit, arguments.visits))
