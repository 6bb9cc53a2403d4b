"""`dongseon briefing-day`: a bad date and an unreachable API are said plainly, in Korean."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from services.cli.briefing_cmd import app
from services.common.embedded_broker import free_port


def test_a_bad_date_is_refused_with_exit_code_2() -> None:
    result = CliRunner().invoke(app, ["2026-13-01"])
    assert result.exit_code == 2
    assert "올바른 날짜가 아닙니다" in result.output


def test_an_unreachable_api_is_named(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}"
    out = tmp_path / "day.pdf"
    result = CliRunner().invoke(app, ["2026-12-01", "--pdf", str(out), "--api", api])
    assert result.exit_code == 1
    assert f"동선 API({api})에 연결할 수 없습니다" in result.output
    assert not out.exists()
