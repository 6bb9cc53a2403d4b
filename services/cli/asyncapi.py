"""The AsyncAPI document, generated from the three services' real FastStream brokers."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from faststream.specification import AsyncAPI

from services.briefing.bootstrap import build_briefing_service
from services.briefing.settings import BriefingSettings
from services.cli.app import RunningService
from services.notifier.bootstrap import build_notifier
from services.notifier.settings import NotifierSettings
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DESCRIPTION = (
    "Events between Dongseon's services. Every message is an envelope (id, type, version, "
    "occurred_at, correlation_id, causation_id, producer, payload); consumers dedupe on id "
    "and park unreadable messages on their dead-letter topic."
)


def asyncapi_document() -> str:
    """Build each service on a scratch database (nothing connects) and describe its broker."""
    with tempfile.TemporaryDirectory() as scratch:
        data_dir, servers = Path(scratch), "localhost:9092"
        services: list[RunningService] = [
            build_scheduler(SchedulerSettings(data_dir=data_dir, database_url=None), servers),
            build_briefing_service(BriefingSettings(data_dir=data_dir, database_url=None), servers),
            build_notifier(NotifierSettings(data_dir=data_dir, database_url=None), servers),
        ]
        spec = AsyncAPI(
            *(s.broker for s in services),
            title="Dongseon events",
            version="1.0.0",
            description=DESCRIPTION,
        ).to_specification()
        for service in services:
            service.engine.dispose()
    return json.dumps(spec.to_jsonable(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
