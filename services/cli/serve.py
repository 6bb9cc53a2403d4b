"""`dongseon scheduler|briefing|notifier`: one service alone against external infrastructure."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import APIRouter

from services.cli.options import Host, Port, fail
from services.common.logging import configure_logging
from services.common.settings import RuntimeSettings


def scheduler(host: Host = "0.0.0.0", port: Port = 8000) -> None:
    """Run the scheduler (API + outbox relay) against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL."""
    _run_service("scheduler", host, port)


def briefing(host: Host = "0.0.0.0", port: Port = 8001) -> None:
    """Run the briefing service against KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL."""
    _run_service("briefing", host, port)


def notifier(host: Host = "0.0.0.0", port: Port = 8002) -> None:
    """Run the notifier (consumers, mail dispatch, feeds) against external infrastructure."""
    _run_service("notifier", host, port)


def load_roster(
    path: Annotated[Path, typer.Argument(help="council_roster.json 형식의 파일")],
) -> None:
    """Load a council roster into the notifier's database (DATABASE_URL)."""
    from pydantic import ValidationError

    from services.cli.sample import load_roster as load_into
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings
    from services.sample_data.catalog import CouncilRoster

    try:
        roster = CouncilRoster.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise fail(f"의원 명단 파일을 읽을 수 없습니다: {path} ({error.strerror})") from None
    except ValidationError as error:
        raise fail(f"의원 명단 형식이 올바르지 않습니다: {path}\n{error}") from None
    settings = NotifierSettings()
    service = build_notifier(settings, settings.kafka_bootstrap_servers or "unused:9092")
    service.migrate()
    count = load_into(service, roster)
    typer.echo(f"{count}명의 의원을 적재했습니다.")


def _run_service(name: str, host: str, port: int) -> None:
    """One service alone against external Kafka and database."""
    from services.cli.app import build_http_app

    runtime = RuntimeSettings()
    configure_logging(runtime.log_level)
    servers = runtime.kafka_bootstrap_servers
    if not servers:
        raise fail(
            "KAFKA_BOOTSTRAP_SERVERS가 필요합니다 (전체를 한 번에 띄우려면 `dongseon up`).", 2
        )
    if name == "notifier":
        from services.notifier.settings import NotifierSettings

        if not NotifierSettings().smtp_host:
            raise fail("SMTP_HOST가 필요합니다 (메일 릴레이 주소).", 2)

    async def serve() -> None:
        from services.common.topics import ensure_topics

        await ensure_topics(servers, replication_factor=runtime.kafka_topic_replication_factor)
        service, router = _build_service(name, servers)
        service.migrate()  # an explicit step before start (services.common.service)
        await service.start()
        try:
            http = build_http_app({name: router}, {name: service})
            # No access log: feed tokens travel in query strings and must not reach logs.
            await uvicorn.Server(
                uvicorn.Config(http, host=host, port=port, access_log=False)
            ).serve()
        finally:
            await service.stop()

    asyncio.run(serve())


def _build_service(name: str, servers: str) -> tuple[Any, APIRouter]:
    """One service from its own settings, and its HTTP routes."""
    if name == "scheduler":
        from services.scheduler.bootstrap import build_scheduler
        from services.scheduler.settings import SchedulerSettings

        scheduler = build_scheduler(SchedulerSettings(), servers)
        return scheduler, scheduler.router
    if name == "briefing":
        from services.briefing.bootstrap import build_briefing_service
        from services.briefing.settings import BriefingSettings

        briefing = build_briefing_service(BriefingSettings(), servers)
        return briefing, briefing.router
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings

    notifier = build_notifier(NotifierSettings(), servers)
    return notifier, notifier.router
