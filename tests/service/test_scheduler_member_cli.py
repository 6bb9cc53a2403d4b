"""`dongseon member show|set|clear` against the scheduler's real routes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from schemas.vocabulary import SEOUL
from services.cli import client, member_cmd
from services.cli.app import build_http_app
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The CLI's HTTP calls go to the scheduler's routes in this process."""
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path),
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


def test_a_members_availability_is_set_shown_and_cleared(api: TestClient) -> None:
    runner = CliRunner()
    morning = f"{DAY}T09:00/{DAY}T12:00"  # no offset: Seoul time
    late = f"{DAY}T11:00+09:00/{DAY}T13:00+09:00"

    stored = runner.invoke(member_cmd.members, ["set", "m-001", morning, late])
    assert stored.exit_code == 0, stored.output
    assert f"{DAY} 09:00–13:00" in stored.output
    [window] = api.get("/api/members/m-001/availability").json()["windows"]
    assert datetime.fromisoformat(window["start"]) == datetime.fromisoformat(f"{DAY}T09:00+09:00")

    shown = runner.invoke(member_cmd.members, ["show", "m-001"])
    assert "강새벽(m-001)" in shown.output and f"{DAY} 09:00–13:00" in shown.output

    cleared = runner.invoke(member_cmd.members, ["clear", "m-001"])
    assert cleared.exit_code == 0
    assert "근무 시간 내내" in runner.invoke(member_cmd.members, ["show", "m-001"]).output


def test_errors_are_korean_and_name_the_problem(api: TestClient) -> None:
    runner = CliRunner()
    unknown = runner.invoke(member_cmd.members, ["show", "m-999"])
    assert unknown.exit_code == 1 and "m-999" in unknown.stderr

    backwards = runner.invoke(member_cmd.members, ["set", "m-001", f"{DAY}T12:00/{DAY}T09:00"])
    assert backwards.exit_code == 1
    assert "windows.0.end: 종료 시각이 시작 시각보다 늦어야 합니다." in backwards.stderr

    unreadable = runner.invoke(member_cmd.members, ["set", "m-001", "tomorrow morning"])
    assert unreadable.exit_code == 2 and "시작/종료 형식" in unreadable.stderr
