"""The notifier's composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faststream.kafka import KafkaBroker
from sqlalchemy import Engine

from schemas.events import NOTICE_FAILED, NOTICE_SENT
from services.common.broker import make_broker
from services.common.database import make_engine, migrate, session_factory
from services.common.outbox import OutboxRelay, declare_publishers
from services.notifier.adapters.orm import NotifierOutbox
from services.notifier.adapters.smtp import SmtpConfig, SmtpMailer
from services.notifier.dispatcher import Mailer, NoticeDispatcher
from services.notifier.settings import NotifierSettings
from services.notifier.unit_of_work import NotifierUnitOfWork

MIGRATIONS = str(Path(__file__).parent / "migrations")


@dataclass
class Notifier:
    settings: NotifierSettings
    engine: Engine
    uow: Callable[[], NotifierUnitOfWork]
    broker: KafkaBroker
    relay: OutboxRelay
    dispatcher: NoticeDispatcher

    async def start(self) -> None:
        await self.broker.start()
        self.relay.start()
        self.dispatcher.start()

    async def stop(self) -> None:
        await self.dispatcher.stop()
        await self.broker.stop()
        await self.relay.stop()
        self.engine.dispose()


def build_notifier(
    settings: NotifierSettings, bootstrap_servers: str, *, mailer: Mailer | None = None
) -> Notifier:
    from services.notifier.entrypoints.consumers import register_consumers

    engine = make_engine(settings.database_url_for("notifier"))
    migrate(engine, MIGRATIONS, "notifier_alembic_version")
    sessions = session_factory(engine)
    broker = make_broker(settings, bootstrap_servers, client_id="dongseon-notifier")
    publishers = declare_publishers(broker, [NOTICE_SENT, NOTICE_FAILED])
    relay = OutboxRelay(broker, sessions, NotifierOutbox, publishers, settings.outbox_poll_seconds)
    uow = lambda: NotifierUnitOfWork(sessions)  # noqa: E731
    dispatcher = NoticeDispatcher(
        uow,
        mailer
        or SmtpMailer(
            SmtpConfig(
                settings.smtp_host or "localhost",
                settings.smtp_port,
                settings.smtp_username,
                settings.smtp_password,
                settings.smtp_start_tls,
            ),
            settings.sender_email,
            settings.sender_name,
        ),
        relay,
        max_attempts=settings.max_send_attempts,
        poll_seconds=settings.dispatch_poll_seconds,
    )
    notifier = Notifier(settings, engine, uow, broker, relay, dispatcher)
    register_consumers(notifier)
    return notifier
