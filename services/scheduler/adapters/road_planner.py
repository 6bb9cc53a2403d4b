"""A planner whose week problems are priced by the service's travel provider first."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from schemas.planning import PlanningProblem, WeekPlanOut
from services.scheduler.adapters.planners import Planner
from services.scheduler.planning.travel import TravelTimeProvider
from services.scheduler.planning.week.road import with_road_minutes


class RoadPricedPlanner:
    """Prices every leg of a problem with `provider`, then lets `planner` solve it.

    The provider may be an HTTP client (OSRM), so legs are priced in a thread of this
    process, off the event loop; only the numbers cross to the solver's worker.
    """

    def __init__(self, planner: Planner, provider: TravelTimeProvider) -> None:
        self._planner = planner
        self._provider = provider

    async def start(self) -> None:
        await self._planner.start()

    async def stop(self) -> None:
        await self._planner.stop()

    async def plan_week(self, problem: PlanningProblem, time_limit: timedelta) -> WeekPlanOut:
        priced = await asyncio.to_thread(with_road_minutes, problem, self._provider)
        return await self._planner.plan_week(priced, time_limit)
