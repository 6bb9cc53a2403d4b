"""Correcting requests and commitments over HTTP: edit, withdraw, delete, and what planning does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from schemas.vocabulary import SEOUL
from services.cli.app import build_http_app
from services.scheduler.adapters.planners import InlinePlanner
from services.scheduler.bootstrap import build_scheduler
from services.scheduler.settings import SchedulerSettings

DAY = datetime.now(SEOUL).date() + timedelta(days=7)
NEXT_DAY = DAY + timedelta(days=1)
MARKET = {"name": "인왕시장", "district": "서대문구", "latitude": 37.5747, "longitude": 126.9456}
YONGSAN = {
    "name": "용산 대통령실",
    "district": "용산구",
    "latitude": 37.5311,
    "longitude": 126.9811,
}


def at(hour: int, day: object = DAY) -> str:
    return datetime.combine(day, datetime.min.time(), SEOUL).replace(hour=hour).isoformat()  # type: ignore[arg-type]


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, solver_time_limit_seconds=1),
        "127.0.0.1:1",
        planner=InlinePlanner(),
    )
    scheduler.migrate()
    app = build_http_app({"scheduler": scheduler.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client
    scheduler.engine.dispose()


def a_request(**fields: object) -> dict[str, object]:
    return {
        "title": "인왕시장 방문",
        "purpose": "전통시장 상인 애로사항 청취",
        "category": "livelihood",
        "place": MARKET,
        "duration_minutes": 60,
        "windows": [{"start": at(10), "end": at(12)}],
        "priority": 3,
        "requesting_department": "소상공인정책담당관",
        **fields,
    }


async def create(http: httpx.AsyncClient, **fields: object) -> str:
    response = await http.post("/api/visit-requests", json=a_request(**fields))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def plan_and_confirm(http: httpx.AsyncClient, day: object = DAY) -> dict[str, object]:
    proposal = await http.post("/api/proposals", json={"plan_date": str(day)})
    assert proposal.status_code == 201, proposal.text
    confirmed = await http.post(f"/api/proposals/{proposal.json()['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.text
    return dict(confirmed.json())


async def test_an_edit_changes_only_the_fields_given_and_is_validated_as_on_create(
    http: httpx.AsyncClient,
) -> None:
    request_id = await create(http)

    edited = await http.patch(f"/api/visit-requests/{request_id}", json={"priority": 5})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["priority"], edited.json()["title"]) == (5, "인왕시장 방문")

    too_long = await http.patch(f"/api/visit-requests/{request_id}", json={"duration_minutes": 300})
    assert too_long.status_code == 422
    assert "허용 시간대" in too_long.json()["errors"][0]["reason"]
    null_title = await http.patch(f"/api/visit-requests/{request_id}", json={"title": None})
    assert [e["field"] for e in null_title.json()["errors"]] == ["title"]
    unknown = await http.patch(f"/api/visit-requests/{request_id}", json={"colour": "red"})
    assert unknown.status_code == 422
    missing = await http.patch("/api/visit-requests/vr-nope", json={"priority": 2})
    assert missing.status_code == 404 and "찾을 수 없습니다" in missing.json()["detail"]
    assert (await http.get(f"/api/visit-requests/{request_id}")).json()["priority"] == 5


async def test_members_must_be_on_the_roster_and_the_week_fields_are_returned(
    http: httpx.AsyncClient,
) -> None:
    refused = await http.post("/api/visit-requests", json=a_request(member_ids=["m-001", "m-999"]))
    assert refused.status_code == 422
    assert "m-999" in refused.json()["errors"][0]["reason"]

    request_id = await create(http, member_ids=["m-001", "m-002"], mandatory=True)
    stored = (await http.get(f"/api/visit-requests/{request_id}")).json()
    assert (stored["member_ids"], stored["mandatory"]) == (["m-001", "m-002"], True)


async def test_a_withdrawn_request_is_not_planned_and_its_confirmed_stop_is_cancelled(
    http: httpx.AsyncClient,
) -> None:
    request_id = await create(http)
    first = await plan_and_confirm(http)
    assert [c["change"] for c in first["changes"]] == ["scheduled"]  # type: ignore[index]

    withdrawn = await http.post(f"/api/visit-requests/{request_id}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    second = await plan_and_confirm(http)

    assert [(c["change"], c["stop_id"]) for c in second["changes"]] == [  # type: ignore[index]
        ("cancelled", f"stop-{request_id}")
    ]
    listed = (await http.get("/api/visit-requests", params={"status": "withdrawn"})).json()
    assert [r["id"] for r in listed] == [request_id], "kept for history, still withdrawn"


async def test_only_a_request_never_confirmed_can_be_deleted(http: httpx.AsyncClient) -> None:
    draft = await create(http, title="오타 난 요청")
    assert (await http.delete(f"/api/visit-requests/{draft}")).status_code == 204
    assert (await http.get(f"/api/visit-requests/{draft}")).status_code == 404

    confirmed = await create(http)
    await plan_and_confirm(http)
    refused = await http.delete(f"/api/visit-requests/{confirmed}")
    assert refused.status_code == 409
    assert "철회" in refused.json()["detail"]


async def test_a_request_confirmed_on_one_day_is_not_offered_on_another(
    http: httpx.AsyncClient,
) -> None:
    two_days = [
        {"start": at(10), "end": at(12)},
        {"start": at(10, NEXT_DAY), "end": at(12, NEXT_DAY)},
    ]
    request_id = await create(http, windows=two_days)
    early = await http.post("/api/proposals", json={"plan_date": str(NEXT_DAY)})
    await plan_and_confirm(http, DAY)

    later = (await http.post("/api/proposals", json={"plan_date": str(NEXT_DAY)})).json()
    assert later["stops"] == [], "already on DAY's plan"
    stale = await http.post(f"/api/proposals/{early.json()['id']}/confirm", json={})
    assert stale.status_code == 409, "a proposal made before DAY was confirmed"
    assert str(DAY) in stale.json()["conflicts"][0]["reason"]

    await http.post(f"/api/visit-requests/{request_id}/withdraw")
    await plan_and_confirm(http, DAY)  # cancels it on DAY
    assert (await http.post("/api/proposals", json={"plan_date": str(NEXT_DAY)})).json()[
        "stops"
    ] == []


async def test_a_request_cancelled_on_its_day_is_offered_again_on_another(
    http: httpx.AsyncClient,
) -> None:
    two_days = [
        {"start": at(10), "end": at(12)},
        {"start": at(10, NEXT_DAY), "end": at(12, NEXT_DAY)},
    ]
    request_id = await create(http, windows=two_days)
    await plan_and_confirm(http, DAY)
    # Only a window on NEXT_DAY now: re-confirming DAY cancels the stop there.
    await http.patch(f"/api/visit-requests/{request_id}", json={"windows": two_days[1:]})
    changes = (await plan_and_confirm(http, DAY))["changes"]
    assert [c["change"] for c in changes] == ["cancelled"]  # type: ignore[attr-defined]

    later = (await http.post("/api/proposals", json={"plan_date": str(NEXT_DAY)})).json()
    assert [s["source_id"] for s in later["stops"]] == [request_id]


async def test_commitments_are_edited_withdrawn_and_deleted_the_same_way(
    http: httpx.AsyncClient,
) -> None:
    body = {
        "title": "국무회의",
        "place": YONGSAN,
        "starts_at": at(10),
        "ends_at": at(11),
        "rrule": "FREQ=WEEKLY",
        "exdates": [str(DAY + timedelta(days=7))],
        "covers_lunch": False,
    }
    created = await http.post("/api/commitments", json=body)
    assert created.status_code == 201, created.text
    commitment_id = created.json()["id"]
    assert created.json()["rrule"] == "FREQ=WEEKLY"

    bad_rule = await http.patch(f"/api/commitments/{commitment_id}", json={"rrule": "FREQ=HOURLY"})
    assert bad_rule.status_code == 422 and "하루" in bad_rule.json()["errors"][0]["reason"]
    later = await http.patch(
        f"/api/commitments/{commitment_id}", json={"starts_at": at(14), "ends_at": at(15)}
    )
    assert later.status_code == 200 and later.json()["exdates"] == body["exdates"]

    await plan_and_confirm(http)
    assert (await http.delete(f"/api/commitments/{commitment_id}")).status_code == 409
    await http.post(f"/api/commitments/{commitment_id}/withdraw")
    changes = (await plan_and_confirm(http))["changes"]
    assert [c["change"] for c in changes] == ["cancelled"]  # type: ignore[attr-defined]

    draft = (await http.post("/api/commitments", json=body)).json()["id"]
    assert (await http.delete(f"/api/commitments/{draft}")).status_code == 204
