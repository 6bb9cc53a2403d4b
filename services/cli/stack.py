"""The whole system in one process: broker, mail sink, three services, one HTTP app.

`dongseon up` and the end-to-end tests both start the system through `Stack`, so the
tests exercise exactly what a newcomer runs. Services still talk only through Kafka.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.briefing.bootstrap import BriefingService, build_briefing_service
from services.briefing.sample_requests import load_sample_member_requests
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app
from services.cli.sample import load_full_week, load_sample_requests, load_sample_roster
from services.common.embedded_broker import EmbeddedBroker, free_port
from services.common.service import Service
from services.common.settings import RuntimeSettings
from services.common.smtp_sink import SmtpSink
from services.common.topics import ensure_topics
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.settings import NotifierSettings
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.settings import SchedulerSettings

log = logging.getLogger(__name__)


@dataclass
class StackOptions:
    data_dir: Path
    bootstrap_servers: str | None = None  # None: start the embedded Tansu broker
    database_url: str | None = None  # None: SQLite files in data_dir
    smtp_host: str | None = None  # None: start the local mail sink
    smtp_port: int | None = None
    sample_week: date | None = None  # load the sample week starting that Monday
    realistic_week: bool = False  # the 150-request week instead of the small one
    overrides: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, data_dir: Path) -> StackOptions:
        """Embedded parts only where the settings name no real one."""
        runtime, notifier = RuntimeSettings(), NotifierSettings()
        return cls(
            data_dir=data_dir,
            bootstrap_servers=runtime.kafka_bootstrap_servers,
            database_url=runtime.database_url,
            smtp_host=notifier.smtp_host,
            smtp_port=notifier.smtp_port if notifier.smtp_host else None,
        )


def _migrate_all(services: tuple[Service, ...]) -> None:
    for service in services:
        service.migrate()


class Stack:
    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.embedded_broker: EmbeddedBroker | None = None
        self.sink: SmtpSink | None = None
        self.scheduler: Scheduler
        self.briefing: BriefingService
        self.notifier: Notifier
        self.app: FastAPI
        self.bootstrap_servers = ""

    @property
    def maildir(self) -> Path:
        return self.options.data_dir / "mail"

    async def start(self) -> Stack:
        options = self.options
        options.data_dir.mkdir(parents=True, exist_ok=True)
        if options.bootstrap_servers:
            self.bootstrap_servers = options.bootstrap_servers
            replication = RuntimeSettings().kafka_topic_replication_factor
            await ensure_topics(self.bootstrap_servers, replication_factor=replication)
        else:
            self.embedded_broker = EmbeddedBroker(log_path=options.data_dir / "tansu.log")
            self.bootstrap_servers = await self.embedded_broker.start()

        smtp_host, smtp_port = options.smtp_host, options.smtp_port
        if smtp_host is None:
            smtp_host, smtp_port = "127.0.0.1", smtp_port or free_port()
            self.sink = SmtpSink(self.maildir, smtp_host, smtp_port)
            self.sink.start()

        common: dict[str, Any] = {"data_dir": options.data_dir, **options.overrides}
        if options.database_url:
            common["database_url"] = options.database_url
        self.scheduler = build_scheduler(SchedulerSettings(**common), self.bootstrap_servers)
        self.briefing = build_briefing_service(BriefingSettings(**common), self.bootstrap_servers)
        self.notifier = build_notifier(
            NotifierSettings(**common, smtp_host=smtp_host, smtp_port=smtp_port or 25),
            self.bootstrap_servers,
        )
        services: tuple[Service, ...] = (self.notifier, self.briefing, self.scheduler)
        # Alembic's context is process-global: migrate one service after the other,
        # off the loop; the consumer groups then form in parallel.
        await asyncio.to_thread(_migrate_all, services)
        await asyncio.gather(*(service.start() for service in services))

        if options.sample_week is not None:
            load_sample_roster(self.notifier)
            if options.realistic_week:
                load_full_week(self.scheduler, options.sample_week)
            else:
                load_sample_requests(self.scheduler, options.sample_week)
            load_sample_member_requests(self.briefing, now=datetime.now(UTC))

        self.app = build_http_app(
            {
                "scheduler": self.scheduler.router,
                "briefing": self.briefing.router,
                "notifier": self.notifier.router,
            },
            {"scheduler": self.scheduler, "briefing": self.briefing, "notifier": self.notifier},
        )
        return self

    async def stop(self) -> None:
        for name in ("scheduler", "briefing", "notifier"):
            service = getattr(self, name, None)
            if service is None:
                continue
            try:
                await service.stop()
            except Exception:
                log.exception("stopping %s failed", type(service).__name__)
        if self.sink is not None:
            self.sink.stop()
        if self.embedded_broker is not None:
            self.embedded_broker.stop()

    async def __aenter__(self) -> Stack:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()
