"""`dongseon request|commitment edit|withdraw|delete` against the scheduler's real routes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from schemas.vocabulary import SEOUL
from services.cli import client
from services.cli.app import build_http_app
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)


def at(hour: int) -> str:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=SEOUL).isoformat()


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The CLI's HTTP calls go to the scheduler's routes in this process."""
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    scheduler.migrate()
    with TestClient(build_http_app({"scheduler": scheduler.router}, {})) as test_client:

        def request(method: str, url: str, json: Any = None, timeout: float = 0) -> Any:
            return test_client.request(method, url.removeprefix(client.DEFAULT_API), json=json)

        monkeypatch.setattr(client.httpx, "request", request)
        yield test_client
    scheduler.engine.dispose()


def a_request(api: TestClient) -> str:
    body = {
        "title": "인왕시장 방문",
        "purpose": "전통시장 상인 애로사항 청취",
        "category": "livelihood",
        "place": {
            "name": "인왕시장",
            "district": "서대문구",
            "latitude": 37.5747,
            "longitude": 126.9456,
        },
        "duration_minutes": 60,
        "windows": [{"start": at(10), "end": at(12)}],
        "priority": 3,
        "requesting_department": "소상공인정책담당관",
    }
    return str(api.post("/api/visit-requests", json=body).json()["id"])


def test_a_request_is_edited_withdrawn_and_its_errors_are_korean(api: TestClient) -> None:
    runner = CliRunner()
    request_id = a_request(api)

    edited = runner.invoke(
        client.requests,
        ["edit", request_id, "--set", "priority=5", "--set", "title=인왕시장 상인회"],
    )
    assert edited.exit_code == 0, edited.output
    assert api.get(f"/api/visit-requests/{request_id}").json()["title"] == "인왕시장 상인회"

    refused = runner.invoke(client.requests, ["edit", request_id, "--set", "priority=9"])
    assert refused.exit_code == 1
    assert "priority: 5 이하여야 합니다" in refused.stderr

    withdrawn = runner.invoke(client.requests, ["withdraw", request_id])
    assert withdrawn.exit_code == 0 and "철회됨" in withdrawn.stdout
    missing = runner.invoke(client.commitments, ["delete", "cm-nope"])
    assert missing.exit_code == 1 and "찾을 수 없습니다" in missing.stderr
    malformed = runner.invoke(client.requests, ["edit", request_id, "--set", "priority"])
    assert malformed.exit_code == 2 and "이름=값" in malformed.stderr


def test_a_request_never_confirmed_is_deleted(api: TestClient) -> None:
    request_id = a_request(api)
    deleted = CliRunner().invoke(client.requests, ["delete", request_id])
    assert deleted.exit_code == 0, deleted.output
    assert api.get(f"/api/visit-requests/{request_id}").status_code == 404


def test_a_range_is_proposed_and_confirmed_from_the_cli(api: TestClient) -> None:
    import typer

    cli = typer.Typer()
    cli.command()(client.propose)
    cli.command()(client.confirm)
    a_request(api)
    runner = CliRunner()

    proposed = runner.invoke(cli, ["propose", str(DAY), str(DAY + timedelta(days=1))])
    assert proposed.exit_code == 0, proposed.output
    assert "기간 제안 pg-" in proposed.stdout and "인왕시장 방문" in proposed.stdout
    group = proposed.stdout.split("dongseon confirm ")[-1].strip()

    confirmed = runner.invoke(cli, ["confirm", group])
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout.count("일정 버전 1 확정") == 2
    backwards = runner.invoke(cli, ["propose", str(DAY), str(DAY - timedelta(days=1))])
    assert backwards.exit_code == 1 and "end가 start보다 빠릅니다" in backwards.stderr
