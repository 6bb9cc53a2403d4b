"""The briefing service's composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faststream.kafka import KafkaBroker
from sqlalchemy import Engine

from schemas.events import BRIEFING_READY
from services.briefing.adapters.knowledge_file import load_knowledge_base
from services.briefing.adapters.orm import BriefingOutbox
from services.briefing.domain.knowledge import KnowledgeBase
from services.briefing.settings import BriefingSettings
from services.briefing.unit_of_work import BriefingUnitOfWork
from services.common.broker import make_broker
from services.common.database import make_engine, migrate, session_factory
from services.common.outbox import OutboxRelay, declare_publishers

MIGRATIONS = str(Path(__file__).parent / "migrations")


@dataclass
class BriefingService:
    settings: BriefingSettings
    engine: Engine
    uow: Callable[[], BriefingUnitOfWork]
    broker: KafkaBroker
    relay: OutboxRelay
    knowledge: KnowledgeBase

    async def start(self) -> None:
        await self.broker.start()
        self.relay.start()

    async def stop(self) -> None:
        await self.broker.stop()
        await self.relay.stop()
        self.engine.dispose()


def build_briefing_service(settings: BriefingSettings, bootstrap_servers: str) -> BriefingService:
    from services.briefing.entrypoints.consumers import register_consumers

    engine = make_engine(settings.database_url_for("briefing"))
    migrate(engine, MIGRATIONS, "briefing_alembic_version")
    sessions = session_factory(engine)
    broker = make_broker(settings, bootstrap_servers, client_id="dongseon-briefing")
    publishers = declare_publishers(broker, [BRIEFING_READY])
    relay = OutboxRelay(broker, sessions, BriefingOutbox, publishers, settings.outbox_poll_seconds)
    service = BriefingService(
        settings=settings,
        engine=engine,
        uow=lambda: BriefingUnitOfWork(sessions),
        broker=broker,
        relay=relay,
        knowledge=load_knowledge_base(settings.knowledge_base_path),
    )
    register_consumers(service)
    return service
