"""The scheduler's composition root: settings in, a service out (no I/O until migrate/start)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
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
from services.scheduler.domain.proposals import WorkingDay
from services.scheduler.domain.requests import Place
from services.scheduler.domain.week_problem import DayRules
from services.scheduler.entrypoints.api import build_router
from services.scheduler.horizon import day_rules
from services.scheduler.planning.travel import SeoulRoadEstimate, TravelTimeProvider
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
    time_limit: timedelta
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
        planner=planner
        or ProcessPoolPlanner(travel or _travel_provider(settings), settings.planner_workers),
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
        time_limit=timedelta(seconds=settings.solver_time_limit_seconds),
        day_rules=day_rules(settings),
    )
    scheduler.router = build_router(scheduler)
    return scheduler


def _travel_provider(settings: SchedulerSettings) -> TravelTimeProvider:
    if settings.travel_provider == "osrm":
        return OsrmTravelTimes(settings.osrm_url)
    return SeoulRoadEstimate()
