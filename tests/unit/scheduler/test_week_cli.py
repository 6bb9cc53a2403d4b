"""`dongseon plan`: solves a problem file offline; a bad file gets a Korean message, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from schemas.planning import WeekPlanOut
from services.cli.plan_cmd import plan

app = typer.Typer()
app.command()(plan)
app.command("noop")(lambda: None)  # keep `plan` a sub-command

PROBLEM = {
    "days": [
        {
            "date": "2026-12-07",
            "start": "08:00",
            "end": "18:00",
            "start_place_id": "hall",
            "end_place_id": "hall",
        }
    ],
    "places": [
        {"id": "hall", "name": "서울시청", "district": "중구", "lat": 37.5663, "lon": 126.9779},
        {"id": "gang", "name": "강남구청", "district": "강남구", "lat": 37.5172, "lon": 127.0473},
    ],
    "requests": [
        {
            "id": "r1",
            "title": "강남 현장 방문",
            "place_id": "gang",
            "duration_minutes": 60,
            "windows": [{"start": "2026-12-07T10:00", "end": "2026-12-07T12:00"}],
            "priority": 4,
            "category": "livelihood",
        }
    ],
}


def test_plan_writes_the_plan_and_prints_the_itinerary(tmp_path: Path) -> None:
    problem, out = tmp_path / "problem.json", tmp_path / "plan.json"
    problem.write_text(json.dumps(PROBLEM), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["plan", str(problem), "--time-limit", "0.2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "강남 현장 방문" in result.output and "시장 일정안" in result.output
    written = WeekPlanOut.model_validate_json(out.read_text(encoding="utf-8"))
    assert [i.id for i in written.days[0].items] == ["r1"]


def test_a_bad_file_names_the_field_in_korean_without_traceback(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(PROBLEM))
    bad["requests"][0]["windows"][0]["end"] = "2026-12-07T09:00"
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(bad), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(problem)])
    assert result.exit_code == 1
    assert "문제 파일 오류" in result.output and "requests.0.windows.0" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_a_korean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "읽을 수 없습니다" in result.output
