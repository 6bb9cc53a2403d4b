"""The knowledge base over HTTP, in process (SQLite; the store is proven on both databases in
tests/integration/test_knowledge_store.py): search with sources, read, add, correct, version."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.briefing.bootstrap import BriefingService, build_briefing_service
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app

UNUSED_BROKER = "127.0.0.1:1"
REPORT_2023 = "000_940ed3c53537b80e"


@pytest.fixture(scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BriefingService]:
    data_dir: Path = tmp_path_factory.mktemp("knowledge-api")
    briefing = build_briefing_service(BriefingSettings(data_dir=data_dir), UNUSED_BROKER)
    briefing.migrate()
    yield briefing
    briefing.engine.dispose()


@pytest.fixture(scope="module")
async def http(service: BriefingService) -> AsyncIterator[httpx.AsyncClient]:
    app = build_http_app({"briefing": service.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield client


def _fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [e["field"] for e in response.json()["errors"]]


async def test_search_ranks_records_with_their_source_and_version(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/api/knowledge/search", params={"q": "노원구 송전선로 지중화 진행 상황", "limit": 3}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["knowledge_base_version"] == "kb-1"
    hits = body["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert all(h["record"]["id"].startswith("nowon-transmission-line") for h in hits)
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]
    source = hits[0]["record"]["source"]
    assert source["document_id"] == REPORT_2023
    assert source["document_title"] == "서울시장 비서실 주요업무보고 (2023-04-19)"
    assert source["report_date"] == "2023-04-19"
    assert source["section"].startswith("Ⅱ-1 ")
    assert "송전선로" in source["sentence"]

    boosted = await http.get(
        "/api/knowledge/search", params={"q": "착공식", "district": "송파구", "limit": 1}
    )
    assert boosted.json()["hits"][0]["record"]["districts"] == ["송파구"]
    assert "district" in boosted.json()["hits"][0]["matched"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": ""}, "q"), ({"q": "   "}, "q"), ({}, "q"), ({"q": "산불", "limit": 0}, "limit")]
    + [({"q": "산불", "limit": 51}, "limit"), ({"q": "산불", "category": "party"}, "category")],
)
async def test_bad_searches_are_refused_naming_the_field(
    http: httpx.AsyncClient, params: dict[str, object], field: str
) -> None:
    assert _fields(await http.get("/api/knowledge/search", params=params)) == [field]


async def test_a_record_reads_with_its_source_and_an_unknown_one_is_404(
    http: httpx.AsyncClient,
) -> None:
    found = await http.get("/api/knowledge/records/inwangsan-wildfire-response-2023")
    assert found.status_code == 200
    record = found.json()
    assert {f["text"] for f in record["figures"]} == {"2,861명", "15대", "188대"}
    assert record["sensitive"] is True
    assert "2,861명" in record["source"]["sentence"]
    missing = await http.get("/api/knowledge/records/no-such-record")
    assert missing.status_code == 404
    assert "no-such-record" in missing.json()["detail"]


async def test_operators_add_and_correct_records_and_each_change_bumps_the_version(
    http: httpx.AsyncClient,
) -> None:
    before = (await http.get("/api/knowledge/search", params={"q": "산불"})).json()
    number = int(before["knowledge_base_version"].removeprefix("kb-"))
    original = (await http.get("/api/knowledge/records/wirye-tram-route-2023")).json()
    body = {k: v for k, v in original.items() if k not in ("source", "knowledge_base_version")}

    corrected = await http.put(
        "/api/knowledge/records/wirye-tram-route-2023",
        json={**body, "tags": ["환승노선"], "title": "위례트램 노선(5호선·8호선 환승)"},
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["knowledge_base_version"] == f"kb-{number + 1}"
    found = (await http.get("/api/knowledge/search", params={"q": "환승노선", "limit": 1})).json()
    assert found["knowledge_base_version"] == f"kb-{number + 1}"
    assert found["hits"][0]["record"]["id"] == "wirye-tram-route-2023"

    added = await http.post(
        "/api/knowledge/records", json={**body, "id": "wirye-tram-stations-2023", "tags": []}
    )
    assert added.status_code == 201, added.text
    assert added.json()["knowledge_base_version"] == f"kb-{number + 2}"
    again = await http.post(
        "/api/knowledge/records", json={**body, "id": "wirye-tram-stations-2023"}
    )
    assert again.status_code == 409

    invented = {"text": "9호선", "value": 9, "unit": "호선", "label": "노선"}
    assert _fields(
        await http.post("/api/knowledge/records", json={**body, "id": "x-1", "figures": [invented]})
    ) == ["body"]
    assert _fields(
        await http.post("/api/knowledge/records", json={**body, "id": "x-2", "document_id": "nope"})
    ) == ["document_id"]
    assert _fields(
        await http.put("/api/knowledge/records/wirye-tram-route-2023", json={**body, "id": "other"})
    ) == ["id"]
    missing = await http.put(
        "/api/knowledge/records/no-such-record", json={**body, "id": "no-such-record"}
    )
    assert missing.status_code == 404
    after = (await http.get("/api/knowledge/records/wirye-tram-route-2023")).json()
    assert after["knowledge_base_version"] == f"kb-{number + 2}"
