"""The notifier's composition root: settings in, a service ready to migrate and start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from sqlalchemy import Engine

from schemas.events import NOTICE_FAILED, NOTICE_SENT
from services.common.broker import make_broker
from services.common.consumer import ConsumerStats
from services.common.database import make_engine, migrate, session_factory
from services.common.outbox import OutboxRelay, declare_publishers
from services.notifier import recipient_handlers
from services.notifier.adapters.channels import ChannelRouter
from services.notifier.adapters.orm import NotifierOutbox
from services.notifier.adapters.smtp import SmtpConfig, SmtpMailer
from services.notifier.adapters.webhook import WebhookSender
from services.notifier.dispatcher import NoticeDispatcher
from services.notifier.domain.deliveries import Backoff
from services.notifier.entrypoints.api import build_router
from services.notifier.entrypoints.consumers import register_consumers
from services.notifier.entrypoints.letters_api import build_letters_router
from services.notifier.entrypoints.recipients_api import build_recipients_router
from services.notifier.member_letters import MemberLetters, build_member_letters
from services.notifier.ports import Mailer
from services.notifier.settings import NotifierSettings
from services.notifier.unit_of_work import SqlNotifierUnitOfWork

MIGRATIONS = str(Path(__file__).parent / "migrations")
VERSION_TABLE = "notifier_alembic_version"


@dataclass
class Notifier:
    """The wired service; `router` and `consumers` are registered by build_notifier."""

    settings: NotifierSettings
    engine: Engine
    uow: Callable[[], SqlNotifierUnitOfWork]
    broker: KafkaBroker
    relay: OutboxRelay
    dispatcher: NoticeDispatcher
    mailer: Mailer
    router: APIRouter = field(init=False)
    consumers: ConsumerStats = field(init=False)
    letters: MemberLetters = field(init=False)

    def notices_queued(self) -> None:
        self.dispatcher.kick()

    def migrate(self) -> None:
        migrate(self.engine, MIGRATIONS, VERSION_TABLE)

    async def start(self) -> None:
        await self.broker.start()
        self.relay.start()
        self.dispatcher.start()
        self.letters.dispatcher.start()

    async def stop(self) -> None:
        await self.letters.dispatcher.stop()
        await self.dispatcher.stop()
        if isinstance(self.mailer, SmtpMailer):
            await self.mailer.close()
        await self.relay.stop()
        await self.broker.stop()
        self.engine.dispose()


def build_notifier(
    settings: NotifierSettings, bootstrap_servers: str, *, mailer: Mailer | None = None
) -> Notifier:
    """Wire everything without I/O; call migrate() before start()."""
    engine = make_engine(settings.database_url_for("notifier"))
    sessions = session_factory(engine)
    broker = make_broker(settings, bootstrap_servers, client_id="dongseon-notifier")
    publishers = declare_publishers(broker, [NOTICE_SENT, NOTICE_FAILED])
    relay = OutboxRelay(broker, sessions, NotifierOutbox, publishers, settings.outbox_poll_seconds)
    uow = lambda: SqlNotifierUnitOfWork(sessions, settings.office_id)  # noqa: E731
    mailer = mailer or _smtp_mailer(settings)
    channels = ChannelRouter(
        mailer,
        WebhookSender(settings.webhook_timeout_seconds),
        lambda: recipient_handlers.all_preferences(uow()),
    )
    dispatcher = NoticeDispatcher(
        uow,
        channels,
        relay,
        max_attempts=settings.max_send_attempts,
        poll_seconds=settings.dispatch_poll_seconds,
        backoff=Backoff(settings.retry_base_seconds, settings.retry_max_seconds),
        lease=timedelta(seconds=settings.claim_lease_seconds),
        batch_size=settings.dispatch_batch_size,
        concurrency=settings.smtp_concurrency,
        record_every=settings.dispatch_record_every,
    )
    notifier = Notifier(settings, engine, uow, broker, relay, dispatcher, mailer)
    notifier.letters = build_member_letters(settings, sessions)
    notifier.consumers = register_consumers(broker, notifier, notifier.letters)
    notifier.router = build_router(notifier)
    notifier.router.include_router(build_recipients_router(notifier))
    notifier.router.include_router(build_letters_router(notifier.letters))
    return notifier


def _smtp_mailer(settings: NotifierSettings) -> SmtpMailer:
    config = SmtpConfig(
        settings.smtp_host or "localhost",
        settings.smtp_port,
        settings.smtp_username,
        settings.smtp_password,
        settings.smtp_start_tls,
    )
    return SmtpMailer(config, settings.sender_email, settings.sender_name, settings.reply_to_email)
