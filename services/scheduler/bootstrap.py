"""The scheduler's composition root: settings in, a service out (no I/O until migrate/start)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from sqlalchemy import Engine

from schemas.events import ITINERARY_CONFIRMED
from services.common.broker import make_broker
from services.common.database import make_engine, migrate, session_factory
from services.common.outbox import OutboxRelay, declare_publishers
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.adapters.osrm import OsrmTravelTimes
from services.scheduler.adapters.planners import Planner, ProcessPoolPlanner
from services.scheduler.adapters.road_planner import RoadPricedPlanner
from services.scheduler.domain.proposals import WorkingDay
from services.scheduler.domain.requests import Place
from services.scheduler.domain.week_problem import DayRules
from services.scheduler.entrypoints.api import build_router
from services.scheduler.horizon import SearchBudget, day_rules, search_budget
from services.scheduler.planning.travel import TravelTimeProvider
from services.scheduler.settings import SchedulerSettings
from services.scheduler.unit_of_work import SchedulerUnitOfWork

MIGRATIONS = str(Path(__file__).parent / "migrations")


@dataclass
class Scheduler:
    """The wired service; `router` is registered by build_scheduler."""

    settings: SchedulerSettings
    engine: Engine
    uow: Callable[[], SchedulerUnitOfWork]
    broker: KafkaBroker
    relay: OutboxRelay
    planner: Planner
    working_day: WorkingDay
    budget: SearchBudget
    day_rules: DayRules
    router: APIRouter = field(init=False)

    def migrate(self) -> None:
        migrate(self.engine, MIGRATIONS, "scheduler_alembic_version")

    async def start(self) -> None:
        await self.broker.start()
        self.relay.start()
        await self.planner.start()

    async def stop(self) -> None:
        await self.planner.stop()
        await self.relay.stop()
        await self.broker.stop()
        self.engine.dispose()


def build_scheduler(
    settings: SchedulerSettings,
    bootstrap_servers: str,
    *,
    travel: TravelTimeProvider | None = None,
    planner: Planner | None = None,
) -> Scheduler:
    """Wire the scheduler; tests may bring their own travel provider or planner."""
    engine = make_engine(settings.database_url_for("scheduler"))
    sessions = session_factory(engine)
    broker = make_broker(settings, bootstrap_servers, client_id="dongseon-scheduler")
    publishers = declare_publishers(broker, [ITINERARY_CONFIRMED])
    relay = OutboxRelay(broker, sessions, SchedulerOutbox, publishers, settings.outbox_poll_seconds)
    scheduler = Scheduler(
        settings=settings,
        engine=engine,
        uow=lambda: SchedulerUnitOfWork(sessions, settings.office_id),
        broker=broker,
        relay=relay,
        planner=_planner(settings, travel, planner),
        working_day=WorkingDay(
            start=settings.day_start,
            end=settings.day_end,
            depot=Place(
                settings.depot_name,
                settings.depot_district,
                settings.depot_latitude,
                settings.depot_longitude,
            ),
        ),
        budget=search_budget(settings),
        day_rules=day_rules(settings),
    )
    scheduler.router = build_router(scheduler)
    return scheduler


def _planner(
    settings: SchedulerSettings, travel: TravelTimeProvider | None, planner: Planner | None
) -> Planner:
    """The solver, with its problems priced by the service's road network when there is one.

    `travel_provider=estimate` (the default) leaves travel to the week model's own Seoul
    estimate (schemas.planning.TravelSettings: the road factor and speeds of
    SeoulRoadEstimate, plus fixed minutes between regions), so the service plans exactly
    as `dongseon plan` does. `osrm`, or a provider given here, prices every leg instead
    (planning/week/road.py), and the week model's speed bands scale those minutes.
    """
    road = travel or _road_network(settings)
    solver = planner or ProcessPoolPlanner(settings.planner_workers)
    return solver if road is None else RoadPricedPlanner(solver, road)


def _road_network(settings: SchedulerSettings) -> TravelTimeProvider | None:
    if settings.travel_provider == "osrm":
        return OsrmTravelTimes(settings.osrm_url)
    return None
