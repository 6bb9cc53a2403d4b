"""The published planning JSON Schemas match the pydantic models, and bad files name the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.planning import (
    PLAN_SCHEMA_FILE,
    PROBLEM_SCHEMA_FILE,
    PlanningProblem,
    plan_json_schema,
    problem_json_schema,
    render_schema,
)


def test_committed_schemas_are_current() -> None:
    assert PROBLEM_SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(
        problem_json_schema()
    ), "run: .venv/bin/python -m schemas.planning"
    assert PLAN_SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(plan_json_schema())


def test_every_problem_field_is_described() -> None:
    schema = problem_json_schema()
    for name, model in schema["$defs"].items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"


def _problem(**changes: Any) -> dict[str, Any]:
    problem: dict[str, Any] = {
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
            {"id": "hall", "name": "서울시청", "district": "중구", "lat": 37.5663, "lon": 126.9779}
        ],
        "members": [{"id": "m1", "name": "가상 의원", "availability": []}],
        "requests": [
            {
                "id": "r1",
                "title": "현장 방문",
                "place_id": "hall",
                "duration_minutes": 60,
                "windows": [{"start": "2026-12-07T09:00", "end": "2026-12-07T12:00"}],
                "priority": 3,
                "category": "livelihood",
            }
        ],
    }
    problem.update(changes)
    return problem


def _error_locations(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as info:
        PlanningProblem.model_validate(data)
    return [".".join(map(str, e["loc"])) + " " + e["msg"] for e in info.value.errors()]


def test_a_valid_problem_loads_and_round_trips() -> None:
    problem = PlanningProblem.model_validate(_problem())
    again = PlanningProblem.model_validate_json(problem.model_dump_json())
    assert again == problem


def test_window_ending_before_it_starts_names_the_field() -> None:
    data = _problem()
    data["requests"][0]["windows"][0]["end"] = "2026-12-07T08:00"
    assert any(e.startswith("requests.0.windows.0") for e in _error_locations(data))


def test_day_end_before_start_names_the_day() -> None:
    data = _problem()
    data["days"][0]["end"] = "07:00"
    assert any(e.startswith("days.0") for e in _error_locations(data))


def test_unknown_place_and_member_are_named() -> None:
    data = _problem()
    data["requests"][0]["place_id"] = "nowhere"
    data["requests"][0]["member_ids"] = ["m9"]
    errors = " ".join(_error_locations(data))
    assert "requests.0.place_id" in errors and "'nowhere'" in errors
    assert "requests.0.member_ids" in errors and "'m9'" in errors


def test_duration_longer_than_every_window_is_named() -> None:
    data = _problem()
    data["requests"][0]["duration_minutes"] = 240
    errors = _error_locations(data)
    assert any(e.startswith("requests.0") and "duration_minutes" in e for e in errors)


def test_schema_file_is_valid_json_with_the_top_level_fields() -> None:
    schema = json.loads(PROBLEM_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert {"days", "places", "members", "commitments", "requests", "travel", "weights"} <= set(
        schema["properties"]
    )
