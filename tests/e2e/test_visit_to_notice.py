"""One visit request travels the whole system: scheduler → briefing → notifier → SMTP and feeds.

Real parts only: a Tansu broker, PostgreSQL, an aiosmtpd server, the same `Stack` that
`dongseon up` runs, driven over HTTP. It runs once, on the production database: every
repository is also tested on SQLite and PostgreSQL in tests/integration/test_databases.py,
and tests/e2e/test_make_run.py runs the whole chain on the default SQLite files.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from icalendar import Calendar

from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED, NOTICE_SENT, EventKind
from schemas.topics import (
    CONSUMER_GROUPS,
    EVENT_TOPICS,
    dead_letter_topic,
)
from schemas.vocabulary import SEOUL
from services.cli.sample import load_sample_roster
from services.cli.stack import Stack, StackOptions
from services.common.smtp_sink import SmtpSink, read_mailbox
from services.sample_data.catalog import load_catalog

CHAIN = "e2e-request-7f3a"
PLAN_DAY = date.today() + timedelta(days=30)


def at(hour: int, minute: int = 0) -> str:
    return datetime(
        PLAN_DAY.year, PLAN_DAY.month, PLAN_DAY.day, hour, minute, tzinfo=SEOUL
    ).isoformat()


def visit(title: str, district: str, lat: float, lon: float, **fields: Any) -> dict[str, Any]:
    return {
        "title": title,
        "purpose": f"{title} 현장 점검 및 관계자 격려",
        "category": "livelihood",
        "policy_area": "economy",
        "place": {
            "name": f"{district} 현장",
            "district": district,
            "latitude": lat,
            "longitude": lon,
        },
        "duration_minutes": 60,
        "windows": [{"start": at(10), "end": at(12)}],
        "priority": 3,
        "public": True,
        "important": False,
        "requesting_department": "소상공인정책담당관",
        **fields,
    }


@pytest.fixture
async def stack(tmp_path: Path, smtp_sink: SmtpSink, postgres_url: str) -> AsyncIterator[Stack]:
    options = StackOptions(
        data_dir=tmp_path / "data",
        database_url=postgres_url,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        # Lead times are tested in tests/unit/notifier; here every notice goes at once.
        overrides={
            "outbox_poll_seconds": 0.2,
            "dispatch_poll_seconds": 0.2,
            "send_at_lead_time": False,
        },
    )
    async with Stack(options) as running:
        load_sample_roster(running.notifier)
        yield running


async def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll until `check` returns something truthy (events cross a real broker)."""
    async with asyncio.timeout(timeout):
        while True:
            result = await check() if asyncio.iscoroutinefunction(check) else check()
            if result:
                return result
            await asyncio.sleep(0.25)


def emails_of(district: str) -> set[str]:
    return {m.email for m in load_catalog().members_in(district)}


def events_by_uid(ics: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


async def publish_kinds_nobody_handles(servers: str) -> None:
    """A newer version and a new type on every shared topic, as a newer producer would send."""
    producer = AIOKafkaProducer(bootstrap_servers=servers)
    await producer.start()
    try:
        for topic in EVENT_TOPICS:
            for type_, version in (("itinerary.confirmed", 99), ("future.happened", 1)):
                event = {
                    "id": str(uuid.uuid4()),
                    "type": type_,
                    "version": version,
                    "occurred_at": "2026-12-01T00:00:00Z",
                    "correlation_id": "from-the-future",
                    "producer": "future",
                    "payload": {"anything": True},
                }
                await producer.send_and_wait(topic.name, json.dumps(event).encode(), key=b"k")
    finally:
        await producer.stop()


async def test_a_confirmed_day_reaches_members_by_mail_and_feed(
    stack: Stack, smtp_sink: SmtpSink, read_topic: Callable[..., Awaitable[list[Any]]]
) -> None:
    await publish_kinds_nobody_handles(stack.bootstrap_servers)
    catalog = load_catalog()
    chair = next(m for m in catalog.roster.members if "chair" in m.roles)
    nowon = next(m for m in catalog.roster.members if m.district == "노원구")
    transport = httpx.ASGITransport(app=stack.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dongseon") as http:
        groundbreaking = visit(
            "노원구 송전선로 지중화 착공식",
            "노원구",
            37.6261,
            127.0614,
            category="groundbreaking",
            policy_area="urban_planning",
            important=True,
            priority=4,
        )
        wildfire = visit(
            "인왕산 산불 피해 현장 점검",
            "종로구",
            37.5850,
            126.9600,
            category="disaster_safety",
            policy_area="safety",
            public=False,
            priority=5,
            windows=[{"start": at(13), "end": at(16)}],
        )
        clash = visit(
            "강남구 상점가 방문",
            "강남구",
            37.5172,
            127.0473,
            priority=1,
            windows=[{"start": at(10), "end": at(11, 30)}],
        )
        ids = {}
        for name, body in (
            ("groundbreaking", groundbreaking),
            ("wildfire", wildfire),
            ("clash", clash),
        ):
            response = await http.post("/api/visit-requests", json=body)
            assert response.status_code == 201, response.text
            ids[name] = response.json()["id"]

        response = await http.post(
            "/api/proposals",
            json={"plan_date": PLAN_DAY.isoformat()},
            headers={"X-Correlation-ID": CHAIN},
        )
        assert response.status_code == 201, response.text
        proposal = response.json()
        planned = [s["source_id"] for s in proposal["stops"]]
        assert planned == [ids["groundbreaking"], ids["wildfire"]]
        assert [d["request_id"] for d in proposal["dropped"]] == [ids["clash"]]

        response = await http.post(
            f"/api/proposals/{proposal['id']}/confirm", json={"confirmed_by": "일정팀"}
        )
        assert response.status_code == 200, response.text
        assert {c["change"] for c in response.json()["changes"]} == {"scheduled"}
        stop_ids = {name: f"stop-{ids[name]}" for name in ("groundbreaking", "wildfire")}

        async def briefed() -> Any:
            r = await http.get(f"/api/briefings/{stop_ids['groundbreaking']}")
            return r.json() if r.status_code == 200 else None

        briefing = (await eventually(briefed))[0]
        assert briefing["stop_version"] == 1
        assert any(p["citation"] for p in briefing["talking_points"]), (
            "talking points cite the reports"
        )

        expected = emails_of("노원구") | emails_of("종로구") | {chair.email}
        mails = await eventually(
            lambda: (
                (m := read_mailbox(smtp_sink.maildir))
                and expected <= {x.envelope_to for x in m}
                and m
            )
        )
        recipients = {m.envelope_to for m in mails}
        assert not (emails_of("강남구") - expected) & recipients, (
            "the dropped visit notifies nobody"
        )
        to_nowon = [m for m in mails if m.envelope_to == nowon.email]
        assert len(to_nowon) == 1
        assert to_nowon[0].subject.startswith("[사전안내]") and "송전선로" in to_nowon[0].subject
        invite = next(
            p for p in to_nowon[0].message.walk() if p.get_content_type() == "text/calendar"
        )
        assert invite.get_param("method") == "REQUEST"
        message = to_nowon[0].message
        assert message["Date"] and message["Reply-To"]
        body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        text = body.get_content()
        assert "webcal://" in text and f"/feeds/members/{nowon.id}.ics" in text, "own feed link"
        assert "시의회 의장 1명" in text, "who else was told, by role, never by name"
        assert chair.name not in text
        cited = [p["text"] for p in briefing["talking_points"] if p["citation"]]
        assert not any(point in text for point in cited), "the mayor's talking points stay internal"

        member_feed = await http.get(
            f"/feeds/members/{nowon.id}.ics", params={"token": await token_of(stack, nowon.id)}
        )
        assert member_feed.status_code == 200
        uid = f"{stop_ids['groundbreaking']}@dongseon.seoul.go.kr"
        assert set(events_by_uid(member_feed.content)) == {uid}
        assert (
            await http.get(f"/feeds/members/{nowon.id}.ics", params={"token": "wrong-token"})
        ).status_code == 404

        mayor = await http.get("/feeds/mayor.ics", params={"token": await token_of(stack, "staff")})
        mayor_events = events_by_uid(mayor.content)
        assert set(mayor_events) == {uid, f"{stop_ids['wildfire']}@dongseon.seoul.go.kr"}
        assert "월계" in str(mayor_events[uid]["LOCATION"]) or "노원구" in str(
            mayor_events[uid]["LOCATION"]
        )

        public = events_by_uid((await http.get("/feeds/public.ics")).content)
        assert set(public) == {uid}, "the non-public disaster visit stays out of the public feed"

        # An emergency commitment takes the afternoon: the re-plan cancels the site visit.
        # It starts at 13:30, so the morning visit and lunch (11:30–13:30) still fit before.
        response = await http.post(
            "/api/commitments",
            json={
                "title": "긴급 재난안전대책회의",
                "place": {
                    "name": "서울시청 기획상황실",
                    "district": "중구",
                    "latitude": 37.5663,
                    "longitude": 126.9779,
                },
                "starts_at": at(13, 30),
                "ends_at": at(17),
                "public": False,
            },
        )
        assert response.status_code == 201, response.text
        # A proposal keeps what is confirmed unless told otherwise: the clash is reported.
        kept = await http.post("/api/proposals", json={"plan_date": PLAN_DAY.isoformat()})
        assert kept.status_code == 422, kept.text
        [conflict] = kept.json()["conflicts"]
        assert ids["wildfire"] in conflict["constraints"] and "확정된 방문" in conflict["reason"]
        replan = (
            await http.post(
                "/api/proposals",
                json={"plan_date": PLAN_DAY.isoformat(), "replan": [stop_ids["wildfire"]]},
            )
        ).json()
        [why_dropped] = [
            d["reason"] for d in replan["dropped"] if d["request_id"] == ids["wildfire"]
        ]
        preview = {c["stop_id"]: c for c in replan["changes"]}
        assert preview[stop_ids["wildfire"]]["change"] == "cancel"
        assert preview[stop_ids["wildfire"]]["reason"] == why_dropped
        assert preview[stop_ids["groundbreaking"]]["change"] == "keep"
        changes = (await http.post(f"/api/proposals/{replan['id']}/confirm")).json()["changes"]
        by_stop = {c["stop_id"]: c["change"] for c in changes}
        assert by_stop[stop_ids["wildfire"]] == "cancelled"
        assert stop_ids["groundbreaking"] not in by_stop, "an unchanged stop is not re-announced"

        jongno = emails_of("종로구")

        def cancellations() -> list[str]:
            return sorted(
                m.envelope_to
                for m in read_mailbox(smtp_sink.maildir)
                if m.subject.startswith("[일정취소]") and m.envelope_to in jongno
            )

        await eventually(lambda: len(cancellations()) >= len(jongno))
        await asyncio.sleep(1)  # a duplicate would have arrived by now
        assert cancellations() == sorted(jongno), "each district member is told exactly once"
        for mail in read_mailbox(smtp_sink.maildir):
            if mail.subject.startswith("[일정취소]") and mail.envelope_to in jongno:
                text = mail.message.get_body(preferencelist=("plain",))
                assert text is not None and why_dropped in text.get_content(), (
                    "the cancellation says why: the planner's reason for leaving it out"
                )
        mayor_after = events_by_uid(
            (
                await http.get("/feeds/mayor.ics", params={"token": await token_of(stack, "staff")})
            ).content
        )
        assert (
            str(mayor_after[f"{stop_ids['wildfire']}@dongseon.seoul.go.kr"]["STATUS"])
            == "CANCELLED"
        )

        notices = (await http.get("/api/notices")).json()
        assert all(n["status"] == "sent" for n in notices)
        assert len({(n["stop_id"], n["stop_version"], n["member_id"]) for n in notices}) == len(
            notices
        )

        await a_request_raised_at_the_visit_is_answered_to_its_member(
            http, smtp_sink, nowon.id, nowon.email, stop_ids["groundbreaking"]
        )

    await the_chain_keeps_its_correlation(stack.bootstrap_servers, read_topic, len(notices))
    for group in CONSUMER_GROUPS:
        parked = await read_topic(stack.bootstrap_servers, dead_letter_topic(group).name)
        assert parked == [], f"{group} dead-lettered a kind it does not handle"


async def a_request_raised_at_the_visit_is_answered_to_its_member(
    http: httpx.AsyncClient, smtp_sink: SmtpSink, member_id: str, email: str, stop_id: str
) -> None:
    """건의사항: recorded at the stop, routed, answered; the member gets the action taken."""
    response = await http.post(
        "/api/member-requests",
        json={
            "member_id": member_id,
            "text": "공사 기간 통학로 보행 안전 확보",
            "stop_id": stop_id,
        },
    )
    assert response.status_code == 201, response.text
    request_id = response.json()["id"]
    for step in (
        {"status": "routed", "department": "도시기반시설본부"},
        {"status": "in_progress"},
        {"status": "answered", "action_taken": "공사 구간 통학로에 안전펜스와 보행안내원 배치"},
    ):
        moved = await http.post(f"/api/member-requests/{request_id}/transitions", json=step)
        assert moved.status_code == 200, moved.text

    def letters() -> list[Any]:
        return [
            m
            for m in read_mailbox(smtp_sink.maildir)
            if m.envelope_to == email and m.subject.startswith("[조치결과]")
        ]

    [letter] = await eventually(letters)
    body = next(p for p in letter.message.walk() if p.get_content_type() == "text/plain")
    assert "안전펜스" in body.get_content(), "the letter says what was done"


async def the_chain_keeps_its_correlation(
    servers: str, read_topic: Callable[..., Awaitable[list[Any]]], notices: int
) -> None:
    """request → proposal → confirmation → briefing → notice: one correlation, causes linked."""

    async def events(kind: EventKind[Any], at_least: int) -> list[Any]:
        """Records of `kind` on its topic; `at_least` counts the two unknown kinds sent too."""
        records = await read_topic(servers, kind.topic.name, at_least=at_least + 2)
        read = [(r, json.loads(r.value)) for r in records]
        return [(r, e) for r, e in read if (e["type"], e["version"]) == (kind.type, kind.version)]

    confirmed = await events(ITINERARY_CONFIRMED, 1)
    first = next(e for _, e in confirmed if e["correlation_id"] == CHAIN)
    readies = [e for _, e in await events(BRIEFING_READY, 2)]
    sent = await events(NOTICE_SENT, notices)
    first_readies = [e for e in readies if e["causation_id"] == first["id"]]
    assert first_readies and all(e["correlation_id"] == CHAIN for e in first_readies)
    ready_ids = {e["id"] for e in first_readies}
    from_first = [(r, e) for r, e in sent if e["causation_id"] in ready_ids]
    assert from_first, "notices name the briefing that caused them"
    for record, event in from_first:
        assert event["correlation_id"] == CHAIN
        assert dict(record.headers)["correlation_id"].decode() == CHAIN
        assert record.key.decode().startswith(f"{event['office_id']}/")


async def token_of(stack: Stack, owner: str) -> str:
    from services.notifier import handlers

    return await asyncio.to_thread(
        handlers.feed_token, stack.notifier.uow(), owner, datetime.now(SEOUL)
    )
