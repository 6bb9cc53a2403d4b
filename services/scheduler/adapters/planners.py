"""The planner port and its implementations: the solver never runs on the event loop.

OR-Tools holds the GIL for the whole solve, so a thread does not keep the loop free;
a process does. Only plain values cross to the worker: the problem, with its travel model.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, timedelta
from typing import Protocol

from schemas.planning import PlanningProblem, WeekPlanOut
from services.scheduler.planning.week import plan_week


class Planner(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        """1–14 days as one model (every proposal); the problem carries its travel model."""
        ...


class InlinePlanner:
    """Solves in the caller's thread, blocking it: for unit tests only."""

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        return plan_week(problem, time_limit)


class ProcessPoolPlanner:
    """Solves in worker processes started with "spawn" (never a fork of the loop's process)."""

    def __init__(self, workers: int = 1) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        """Start the workers and let each plan a tiny week, awaited: the first proposal then
        costs its search budget only, not a second or two of imports (bench/RESULTS.md)."""
        pool = self._ensure_pool()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(pool, warm_up) for _ in range(self._workers)))

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ensure_pool(), plan_week, problem, time_limit)
        except BrokenProcessPool:
            self._pool = None  # a worker died (killed, out of memory): the next call starts anew
            raise

    def _ensure_pool(self) -> ProcessPoolExecutor:
        """Started by start(); created on first use too, for callers that never start it."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_leave_interrupts_to_the_parent,
            )
        return self._pool


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl+C reaches the whole process group; the parent shuts the pool down in order, so a
    worker ignores it rather than dying with a traceback mid-solve."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def warm_up() -> int:
    """Runs in a worker: one tiny plan loads OR-Tools and every module the week planner
    imports on its first solve (explanations, conflicts, score); the visits it placed."""
    day = date(2026, 1, 5)
    problem = PlanningProblem.model_validate(
        {
            "days": [
                {
                    "date": day,
                    "start_place_id": "p",
                    "end_place_id": "p",
                    "lunch": {
                        "earliest_start": "11:30",
                        "latest_end": "13:30",
                        "duration_minutes": 60,
                    },
                }
            ],
            "places": [
                {"id": "p", "name": "시청", "district": "중구", "lat": 37.57, "lon": 126.98}
            ],
            "requests": [
                {
                    "id": "r",
                    "title": "준비",
                    "place_id": "p",
                    "duration_minutes": 30,
                    "priority": 3,
                    "category": "livelihood",
                    "windows": [{"start": f"{day}T10:00", "end": f"{day}T12:00"}],
                }
            ],
        }
    )
    return sum(day.visits for day in plan_week(problem, timedelta(seconds=0.05)).days)
