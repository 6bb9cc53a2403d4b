"""The HTTP conventions every service shares: one error shape in Korean, offline docs,
OPTIONS, correlation ids, and the input the scheduler refuses."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.common.errors import reason_for
from services.scheduler import handlers
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.commands import ProposeDay, WindowIn
from services.scheduler.settings import SchedulerSettings

TODAY = datetime.now(SEOUL).date()
DAY = TODAY + timedelta(days=7)
ERROR_KEYS = {"detail", "errors"}


@pytest.fixture
async def scheduler(tmp_path: Path) -> AsyncIterator[Scheduler]:
    service = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture
async def http(scheduler: Scheduler) -> AsyncIterator[httpx.AsyncClient]:
    app = build_http_app({"scheduler": scheduler.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL).isoformat()


def visit(**fields: Any) -> dict[str, Any]:
    return {
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
        "windows": [{"start": at(DAY, 10), "end": at(DAY, 12)}],
        "priority": 3,
        "requesting_department": "소상공인정책담당관",
        **fields,
    }


def reasons(response: httpx.Response, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert ERROR_KEYS <= set(body), body
    return {e["field"]: e["reason"] for e in body["errors"]}


# --- one error shape, Korean reasons -------------------------------------------------------


async def test_missing_fields_are_named_in_korean(http: httpx.AsyncClient) -> None:
    errors = reasons(await http.post("/api/visit-requests", json={}))
    assert errors["title"] == "필수 항목입니다"
    assert errors["place"] == "필수 항목입니다"
    assert not any("Field required" in r for r in errors.values())


async def test_constraint_reasons_carry_their_limits(http: httpx.AsyncClient) -> None:
    body = visit(title="", priority=0, category="party", windows=[])
    errors = reasons(await http.post("/api/visit-requests", json=body))
    assert errors["title"] == "1자 이상이어야 합니다"
    assert errors["priority"] == "1 이상이어야 합니다"
    assert errors["category"].startswith("다음 중 하나여야 합니다: 'disaster_safety'")
    assert errors["windows"] == "1개 이상이어야 합니다"


async def test_bad_dates_in_a_query_name_the_parameter(http: httpx.AsyncClient) -> None:
    errors = reasons(await http.get("/api/itinerary", params={"start": "2026-13-45", "end": "x"}))
    assert errors == {
        "start": "날짜(YYYY-MM-DD) 형식이 아닙니다",
        "end": "날짜(YYYY-MM-DD) 형식이 아닙니다",
    }


async def test_absurd_itinerary_years_are_refused_not_crashed(http: httpx.AsyncClient) -> None:
    errors = reasons(
        await http.get("/api/itinerary", params={"start": "9999-12-31", "end": "9999-12-31"})
    )
    assert "2000~2100" in errors["start"]


async def test_malformed_json_is_400_on_the_body(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/api/visit-requests",
        content=b'{"title": "x",',
        headers={"content-type": "application/json"},
    )
    assert reasons(response, 400) == {"body": "JSON 형식이 올바르지 않습니다"}


async def test_not_found_and_unknown_paths_use_the_same_shape(http: httpx.AsyncClient) -> None:
    for path in ("/api/proposals/pr-nope", "/no/such/page"):
        response = await http.get(path)
        assert response.status_code == 404
        assert ERROR_KEYS <= set(response.json())


def test_unknown_pydantic_error_types_still_read_in_korean() -> None:
    assert (
        reason_for({"type": "something_new", "msg": "x"})
        == "값이 올바르지 않습니다 (something_new)"
    )
    assert reason_for({"type": "greater_than_equal", "ctx": {"ge": 10}}) == "10 이상이어야 합니다"


# --- OpenAPI and /docs -----------------------------------------------------------------------


async def test_openapi_documents_our_error_shape_only(http: httpx.AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorOut"]["properties"]) == {"detail", "errors", "conflicts"}
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code, response in responses.items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == error_ref
            if "requestBody" in operation:
                assert {"400", "422"} <= set(responses), (method, path)
    confirm = document["paths"]["/api/proposals/{proposal_id}/confirm"]["post"]["responses"]
    assert {"400", "404", "409", "422"} <= set(confirm)


async def test_docs_load_only_local_assets(http: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        html = (await http.get(page)).text
        assert not re.search(r"https?://", html), html
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
        assert any(a.endswith(".js") for a in assets), assets
        for asset in assets:
            assert (await http.get(asset)).status_code == 200, asset


# --- OPTIONS and correlation ids -------------------------------------------------------------


async def test_options_answers_with_the_allowed_methods(http: httpx.AsyncClient) -> None:
    response = await http.options("/api/visit-requests")
    assert response.status_code == 204
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}
    assert (await http.delete("/api/visit-requests")).status_code == 405


async def test_correlation_id_is_echoed_or_minted(http: httpx.AsyncClient) -> None:
    given = await http.get("/api/commitments", headers={"X-Correlation-ID": "req-42"})
    assert given.headers["x-correlation-id"] == "req-42"
    minted = await http.get("/api/commitments")
    assert len(minted.headers["x-correlation-id"]) == 36
    unsafe = await http.get("/api/commitments", headers={"X-Correlation-ID": "a" * 500})
    assert unsafe.headers["x-correlation-id"] != "a" * 500


async def test_a_proposal_keeps_the_callers_correlation_id(
    http: httpx.AsyncClient, scheduler: Scheduler
) -> None:
    response = await http.post(
        "/api/proposals",
        json={"plan_date": DAY.isoformat()},
        headers={"X-Correlation-ID": "plan-req-7"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["x-correlation-id"] == "plan-req-7"
    stored = handlers.get_proposal(scheduler.uow(), response.json()["id"])
    assert stored.correlation_id == "plan-req-7"


# --- input the scheduler refuses -------------------------------------------------------------


async def test_a_window_years_away_is_refused(http: httpx.AsyncClient) -> None:
    far = DAY.replace(year=DAY.year + 40)
    body = visit(windows=[{"start": at(far, 10), "end": at(far, 12)}])
    errors = reasons(await http.post("/api/visit-requests", json=body))
    assert "과거 1년·미래 2년" in errors["windows.0.start"]


async def test_a_window_longer_ago_than_a_year_is_refused(http: httpx.AsyncClient) -> None:
    old = TODAY - timedelta(days=400)
    body = visit(windows=[{"start": at(old, 10), "end": at(old, 12)}])
    assert (
        "벗어났습니다"
        in reasons(await http.post("/api/visit-requests", json=body))["windows.0.start"]
    )


async def test_a_window_across_midnight_is_refused(http: httpx.AsyncClient) -> None:
    body = visit(windows=[{"start": at(DAY, 22), "end": at(DAY + timedelta(days=1), 9)}])
    errors = reasons(await http.post("/api/visit-requests", json=body))
    assert "하루 안에" in errors["windows.0.end"]


async def test_midnight_is_judged_in_seoul_time(http: httpx.AsyncClient) -> None:
    # 14:00–16:00 UTC is 23:00–01:00 in Seoul: two Seoul days.
    body = visit(windows=[{"start": f"{DAY}T14:00:00+00:00", "end": f"{DAY}T16:00:00+00:00"}])
    assert (
        "하루 안에" in reasons(await http.post("/api/visit-requests", json=body))["windows.0.end"]
    )


async def test_an_empty_window_is_refused(http: httpx.AsyncClient) -> None:
    body = visit(windows=[{"start": at(DAY, 12), "end": at(DAY, 12)}])
    errors = reasons(await http.post("/api/visit-requests", json=body))
    assert "종료 시각이 시작 시각보다 늦어야" in errors["windows.0.end"]


async def test_a_commitment_across_midnight_is_refused(http: httpx.AsyncClient) -> None:
    body = {
        "title": "야간 점검",
        "place": {
            "name": "서울시청",
            "district": "중구",
            "latitude": 37.5663,
            "longitude": 126.9779,
        },
        "starts_at": at(DAY, 23),
        "ends_at": at(DAY + timedelta(days=1), 1),
    }
    assert "하루 안에" in reasons(await http.post("/api/commitments", json=body))["ends_at"]


async def test_a_place_far_from_its_district_is_refused(http: httpx.AsyncClient) -> None:
    gangnam_office = {
        "name": "강남구청",
        "district": "노원구",
        "latitude": 37.5172,
        "longitude": 127.0473,
    }
    errors = reasons(await http.post("/api/visit-requests", json=visit(place=gangnam_office)))
    assert "노원구 중심에서" in errors["place"] and "8km" in errors["place"]


async def test_a_seoul_district_with_coordinates_outside_seoul_is_refused(
    http: httpx.AsyncClient,
) -> None:
    busan = {"name": "부산시청", "district": "중구", "latitude": 35.1798, "longitude": 129.0750}
    errors = reasons(await http.post("/api/visit-requests", json=visit(place=busan)))
    assert "서울 밖" in errors["place"]


async def test_outside_seoul_places_keep_their_own_coordinates(http: httpx.AsyncClient) -> None:
    sejong = {
        "name": "정부세종청사",
        "district": "서울 외",
        "latitude": 36.5040,
        "longitude": 127.2650,
    }
    response = await http.post("/api/visit-requests", json=visit(place=sejong))
    assert response.status_code == 201, response.text


async def test_a_plan_date_years_away_is_refused(http: httpx.AsyncClient) -> None:
    errors = reasons(await http.post("/api/proposals", json={"plan_date": "2099-01-01"}))
    assert errors["plan_date"].startswith("2099-01-01은(는) 받을 수 있는 기간")


def test_today_can_be_given_to_validation_instead_of_the_clock() -> None:
    ProposeDay.model_validate({"plan_date": "2030-01-01"}, context={"today": date(2029, 6, 1)})
    with pytest.raises(ValidationError, match="2028-06-01~2031-06-01"):
        WindowIn.model_validate(
            {"start": "2031-07-01T10:00:00+09:00", "end": "2031-07-01T11:00:00+09:00"},
            context={"today": date(2029, 6, 1)},
        )
