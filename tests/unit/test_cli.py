"""`dongseon` commands fail with a Korean sentence on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.cli.main import app
from services.common.embedded_broker import free_port
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

runner = CliRunner()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real scheduler API on a free local port (no broker: nothing here publishes)."""
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path_factory.mktemp("cli"), solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    scheduler.migrate()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            build_http_app({"scheduler": scheduler.router}, {}),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = datetime.now() + timedelta(seconds=10)
    while not server.started and datetime.now() < deadline:
        threading.Event().wait(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    scheduler.engine.dispose()


def no_traceback(output: str) -> None:
    assert "Traceback" not in output and "Exception" not in output, output


def test_an_impossible_date_is_refused_before_any_request() -> None:
    result = runner.invoke(app, ["propose", "2026-13-45", "--api", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "'2026-13-45'은(는) 올바른 날짜가 아닙니다" in result.stderr
    no_traceback(result.output)


@pytest.mark.parametrize("command", [["propose", "2026-12-01"], ["confirm", "pr-1"]])
def test_an_api_that_is_down_is_named(command: list[str]) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, [*command, "--api", down])
    assert result.exit_code == 1
    assert f"동선 API({down})에 연결할 수 없습니다" in result.stderr
    no_traceback(result.output)


def test_the_apis_reasons_are_printed(api: str) -> None:
    result = runner.invoke(app, ["propose", "2099-01-01", "--api", api])
    assert result.exit_code == 1
    assert "오류 (HTTP 422): 입력값이 올바르지 않습니다." in result.stderr
    assert "  - plan_date: 2099-01-01은(는) 받을 수 있는 기간" in result.stderr
    no_traceback(result.output)


def test_a_missing_proposal_is_reported(api: str) -> None:
    result = runner.invoke(app, ["confirm", "pr-nope", "--api", api])
    assert result.exit_code == 1
    assert "오류 (HTTP 404): 제안 'pr-nope'을(를) 찾을 수 없습니다." in result.stderr


def test_a_proposal_is_printed(api: str) -> None:
    day = datetime.now(SEOUL).date() + timedelta(days=3)
    result = runner.invoke(app, ["propose", day.isoformat(), "--api", api])
    assert result.exit_code == 0, result.output
    assert f"({day.isoformat()})" in result.stdout
    assert "점심  (서울시청)" in result.stdout, "the day's lunch, where the mayor is"
    assert "확정하려면: dongseon confirm pr-" in result.stdout


def test_a_re_proposal_shows_what_it_keeps_and_replan_is_passed_on(api: str) -> None:
    day = datetime.now(SEOUL).date() + timedelta(days=5)
    window = {
        "start": datetime.combine(day, time(10), SEOUL).isoformat(),
        "end": datetime.combine(day, time(12), SEOUL).isoformat(),
    }
    created = httpx.post(
        f"{api}/api/visit-requests",
        json={
            "title": "인왕시장 방문",
            "purpose": "상인 애로 청취",
            "category": "livelihood",
            "place": {
                "name": "인왕시장",
                "district": "서대문구",
                "latitude": 37.5747,
                "longitude": 126.9456,
            },
            "duration_minutes": 60,
            "windows": [window],
            "priority": 3,
            "requesting_department": "소상공인정책담당관",
        },
    ).json()
    first = runner.invoke(app, ["propose", day.isoformat(), "--api", api])
    proposal_id = first.stdout.rsplit("dongseon confirm ", 1)[1].strip()
    assert "확정 시 변경" not in first.stdout, "a day without a plan only adds"
    assert runner.invoke(app, ["confirm", proposal_id, "--api", api]).exit_code == 0

    again = runner.invoke(app, ["propose", day.isoformat(), "--api", api])
    assert again.exit_code == 0, again.output
    assert "[유지]" in again.stdout and "인왕시장 방문" in again.stdout
    refused = runner.invoke(app, ["propose", day.isoformat(), "--replan", "vr-x", "--api", api])
    assert (
        refused.exit_code == 1
        and "replan: 이 기간에 확정된 방문이 아닙니다: vr-x" in refused.stderr
    )
    released = runner.invoke(
        app, ["propose", day.isoformat(), "--replan", created["id"], "--api", api]
    )
    assert released.exit_code == 0, released.output


def test_mail_show_of_an_unknown_key_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mail", "show", "nope", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "'nope'(으)로 시작하는 메일이 없습니다" in result.stderr


def test_load_roster_of_a_missing_file_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load-roster", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert "의원 명단 파일을 읽을 수 없습니다" in result.stderr
    no_traceback(result.output)
