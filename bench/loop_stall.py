"""Does the scheduler's event loop keep running while a day is solved? (issue: the loop stall)

Plans the same day of 20 visits three ways and samples the event loop every 5 ms meanwhile:
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
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.vocabulary import SEOUL  # noqa: E402
from services.scheduler.adapters.planners import InlinePlanner, ProcessPoolPlanner  # noqa: E402
from services.scheduler.planning.model import plan_day  # noqa: E402
from services.scheduler.planning.problem import (  # noqa: E402
    Candidate,
    DayPlan,
    DayPlanRequest,
    TimeWindow,
)
from services.scheduler.planning.travel import Location, SeoulRoadEstimate  # noqa: E402

DAY = date(2026, 12, 1)


class ThreadPlanner:
    """The scheduler before the fix: the solve in a thread of the loop's own process."""

    def __init__(self) -> None:
        self._travel = SeoulRoadEstimate()

    async def plan(self, request: DayPlanRequest) -> DayPlan:
        return await asyncio.to_thread(plan_day, request, self._travel)


def day_of_visits(count: int, time_limit: float) -> DayPlanRequest:
    start = datetime.combine(DAY, clock(9), SEOUL)
    window = (TimeWindow(start, start + timedelta(hours=9)),)
    return DayPlanRequest(
        day_start=start,
        day_end=start + timedelta(hours=9),
        depot=Location(37.5663, 126.9779),
        candidates=tuple(
            Candidate(
                id=f"v{n}",
                label=f"현장 {n}",
                location=Location(37.545 + (n % 5) * 0.01, 126.965 + (n // 5) * 0.012),
                duration=timedelta(minutes=40),
                windows=window,
                value=1 + n % 5,
            )
            for n in range(count)
        ),
        time_limit=timedelta(seconds=time_limit),
    )


async def measure(planner: object, request: DayPlanRequest) -> dict[str, object]:
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
    await planner.plan(request)  # type: ignore[attr-defined]
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
    request = day_of_visits(visits, time_limit)
    process = ProcessPoolPlanner(SeoulRoadEstimate())
    await process.start()
    await process.plan(day_of_visits(3, 0.2))  # the workers are warm, as in service
    rows = [
        ("worker process (now)", await measure(process, request)),
        ("asyncio.to_thread (before)", await measure(ThreadPlanner(), request)),
        ("inline (reference)", await measure(InlinePlanner(SeoulRoadEstimate()), request)),
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
