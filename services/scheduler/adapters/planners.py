"""The planner port and its implementations: the solver never runs on the event loop.

OR-Tools holds the GIL for the whole solve, so a thread does not keep the loop free;
a process does. Legs are priced in the parent (the provider may be an HTTP client) and
only plain values cross to the worker.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta
from typing import Protocol

from schemas.planning import PlanningProblem, WeekPlanOut
from services.scheduler.planning.model import plan_day, plan_day_with, travel_minutes
from services.scheduler.planning.problem import DayPlan, DayPlanRequest
from services.scheduler.planning.travel import TravelTimeProvider
from services.scheduler.planning.week import plan_week


class Planner(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def plan(self, request: DayPlanRequest) -> DayPlan:
        """The day's plan; raises PlanInfeasible when the commitments clash."""
        ...

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        """1–14 days as one model; the problem carries its own travel model."""
        ...


class InlinePlanner:
    """Solves in the caller's thread, blocking it: for unit tests only."""

    def __init__(self, travel: TravelTimeProvider) -> None:
        self._travel = travel

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def plan(self, request: DayPlanRequest) -> DayPlan:
        return plan_day(request, self._travel)

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        return plan_week(problem, time_limit)


class ProcessPoolPlanner:
    """Solves in worker processes started with "spawn" (never a fork of the loop's process)."""

    def __init__(self, travel: TravelTimeProvider, workers: int = 1) -> None:
        self._travel = travel
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        """Start the workers importing OR-Tools, so the first proposal is not slower.

        Not awaited: the service is up while the workers load (a few seconds on a busy
        machine), and a proposal made meanwhile simply queues behind the warm-up.
        """
        pool = self._ensure_pool()
        for _ in range(self._workers):
            pool.submit(_warm_up)

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def plan(self, request: DayPlanRequest) -> DayPlan:
        matrix = await asyncio.to_thread(travel_minutes, request, self._travel)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ensure_pool(), plan_day_with, request, matrix)
        except BrokenProcessPool:
            self._pool = None  # a worker died (killed, out of memory): the next call starts anew
            raise

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ensure_pool(), plan_week, problem, time_limit)
        except BrokenProcessPool:
            self._pool = None
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


def _warm_up() -> bool:
    """Runs in a worker: load the solver's native library before the first real solve."""
    importlib.import_module("ortools.constraint_solver.pywrapcp")
    return True
