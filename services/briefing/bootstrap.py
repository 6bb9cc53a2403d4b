"""The briefing service's composition root: settings in, a service ready to migrate and start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from sqlalchemy import Engine

from schemas.events import (
    BRIEFING_READY,
    MEMBER_REQUEST_ANSWERED,
    MEMBER_REQUEST_RECORDED,
    MEMBER_REQUEST_UPDATED,
)
from services.briefing.adapters.briefing_records import StoreRecords
from services.briefing.adapters.knowledge_store import KnowledgeStore
from services.briefing.adapters.orm import BriefingOutbox
from services.briefing.adapters.roster_file import load_council_directory
from services.briefing.domain.council import CouncilDirectory
from services.briefing.entrypoints.api import build_router
from services.briefing.entrypoints.consumers import register_consumers
from services.briefing.entrypoints.knowledge_api import build_knowledge_router
from services.briefing.settings import BriefingSettings
from services.briefing.unit_of_work import SqlBriefingUnitOfWork
from services.common.broker import make_broker
from services.common.consumer import ConsumerStats
from services.common.database import make_engine, migrate, session_factory
from services.common.outbox import OutboxRelay, declare_publishers

MIGRATIONS = str(Path(__file__).parent / "migrations")
VERSION_TABLE = "briefing_alembic_version"


@dataclass
class BriefingService:
    """The wired service; `router` and `consumers` are registered by build_briefing_service."""

    settings: BriefingSettings
    engine: Engine
    uow: Callable[[], SqlBriefingUnitOfWork]
    broker: KafkaBroker
    relay: OutboxRelay
    council: CouncilDirectory
    records: KnowledgeStore = field(init=False)
    record_source: StoreRecords = field(init=False)
    router: APIRouter = field(init=False)
    consumers: ConsumerStats = field(init=False)

    def events_staged(self) -> None:
        self.relay.kick()

    def migrate(self) -> None:
        migrate(self.engine, MIGRATIONS, VERSION_TABLE)
        self.records.sync_sources()

    async def start(self) -> None:
        await self.broker.start()
        self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.broker.stop()
        self.engine.dispose()


def build_briefing_service(settings: BriefingSettings, bootstrap_servers: str) -> BriefingService:
    """Wire everything without I/O; call migrate() before start()."""
    engine = make_engine(settings.database_url_for("briefing"))
    sessions = session_factory(engine)
    broker = make_broker(settings, bootstrap_servers, client_id="dongseon-briefing")
    publishers = declare_publishers(
        broker,
        [BRIEFING_READY, MEMBER_REQUEST_RECORDED, MEMBER_REQUEST_UPDATED, MEMBER_REQUEST_ANSWERED],
    )
    relay = OutboxRelay(broker, sessions, BriefingOutbox, publishers, settings.outbox_poll_seconds)
    service = BriefingService(
        settings=settings,
        engine=engine,
        uow=lambda: SqlBriefingUnitOfWork(sessions, settings.office_id),
        broker=broker,
        relay=relay,
        council=load_council_directory(settings.council_roster_path),
    )
    service.consumers = register_consumers(broker, service)
    service.records = KnowledgeStore(sessions, settings.office_id)
    service.record_source = StoreRecords(service.records)
    service.router = build_router(service)
    service.router.include_router(build_knowledge_router(service.records))
    return service
