"""Schemathesis against the combined app's OpenAPI document: what it says is what it does.

Every operation gets a few generated requests (valid and invalid) through the ASGI transport;
each answer must be no 5xx, a documented status code, and match its documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.briefing.bootstrap import build_briefing_service
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app
from services.notifier.bootstrap import build_notifier
from services.notifier.settings import NotifierSettings
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

NO_BROKER = "127.0.0.1:1"
EXAMPLES = 6  # per operation and mode: the whole test stays well under 15 s
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def combined_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The three services' routes in one app, as `dongseon up` serves them (no broker)."""
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        NO_BROKER,
        planner=InlinePlanner(),
    )
    briefing = build_briefing_service(BriefingSettings(data_dir=tmp_path), NO_BROKER)
    notifier = build_notifier(NotifierSettings(data_dir=tmp_path), NO_BROKER)
    for service in (scheduler, briefing, notifier):
        service.migrate()
    yield build_http_app(
        {
            "scheduler": scheduler.router,
            "briefing": briefing.router,
            "notifier": notifier.router,
        },
        {},
    )
    for service in (scheduler, briefing, notifier):
        service.engine.dispose()


def test_every_operation_answers_as_documented(combined_app: FastAPI) -> None:
    """Valid requests for each operation, invalid ones where it takes a body or a query."""
    api = schemathesis.openapi.from_asgi("/openapi.json", combined_app)
    operations = [
        result.ok()
        for result in api.get_all_operations()
        # A day's PDF takes ~0.5 s to typeset; its answers are tested in
        # tests/service/test_briefing_documents_api.py.
        if not result.ok().label.endswith(".pdf")
    ]
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:
        run_examples(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        if len(operation.body) or len(operation.query):
            # Invalid bodies and queries; broken path segments only ever meet routing's 404.
            run_examples(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))


def run_examples(strategy: SearchStrategy[schemathesis.Case]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
