"""Briefing and notifier built through their composition roots (SQLite and PostgreSQL, no broker):
the chain itinerary.confirmed → briefing.ready → notices keeps one correlation, and the
routes read domain objects back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED, read_event
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot
from services.briefing import handlers as briefing_handlers
from services.briefing.adapters.orm import BriefingOutbox
from services.briefing.bootstrap import BriefingService, build_briefing_service
from services.briefing.settings import BriefingSettings
from services.cli.app import build_http_app
from services.common.service import Service
from services.notifier import handlers as notifier_handlers
from services.notifier.adapters.orm import NotifierOutbox
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.recipients import CouncilMember
from services.notifier.settings import NotifierSettings

UNUSED_BROKER = "127.0.0.1:1"  # nothing here starts the broker
START = datetime.now(UTC).replace(microsecond=0) + timedelta(
    days=1
)  # inside the lead time: sent at once


class AcceptingMailer:
    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


@dataclass
class Pair:
    briefing: BriefingService
    notifier: Notifier
    mailer: AcceptingMailer
    http: httpx.AsyncClient


@pytest.fixture
async def pair(database_url: str, tmp_path: Path) -> AsyncIterator[Pair]:
    mailer = AcceptingMailer()
    common: dict[str, Any] = {"database_url": database_url, "data_dir": tmp_path}
    briefing = build_briefing_service(BriefingSettings(**common), UNUSED_BROKER)
    notifier = build_notifier(NotifierSettings(**common), UNUSED_BROKER, mailer=mailer)
    services: list[Service] = [briefing, notifier]
    for service in services:
        service.migrate()
        service.migrate()  # repeatable
    member = CouncilMember(
        "m-1", "가온", "m1@council.example", "노원구", frozenset(), frozenset(), "가당"
    )
    notifier_handlers.load_roster(notifier.uow(), [member], START)
    app = build_http_app({"briefing": briefing.router, "notifier": notifier.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield Pair(briefing, notifier, mailer, http)
    for engine in (briefing.engine, notifier.engine):
        engine.dispose()


def confirmed() -> Envelope[Any]:
    stop = StopSnapshot(
        stop_id="stop-1",
        version=1,
        kind="visit",
        title="송전선로 지중화 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        place_name="월계역 환승주차장",
        district="노원구",
        latitude=37.62,
        longitude=127.06,
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        public=True,
        important=False,
        requesting_department="도시기반시설본부",
    )
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="pr-1",
        confirmed_by="일정팀",
        changes=[StopChange(change="scheduled", stop=stop)],
    )
    return ITINERARY_CONFIRMED.envelope(payload, producer="scheduler", correlation_id="req-7")


def staged(service: BriefingService | Notifier, table: Any) -> list[Envelope[Any]]:
    with service.uow() as uow:
        rows = uow.session.exec(select(table).order_by(table.seq)).all()
    return [read_event(row.body) for row in rows]


async def test_one_correlation_from_confirmation_to_notice(pair: Pair) -> None:
    itinerary = confirmed()
    built = briefing_handlers.when_itinerary_confirmed_build_briefings(
        pair.briefing.uow(), itinerary, records=pair.briefing.record_source, now=datetime.now(UTC)
    )
    assert built == 1
    [ready] = staged(pair.briefing, BriefingOutbox)
    assert (ready.correlation_id, ready.causation_id) == ("req-7", itinerary.id)

    queued = notifier_handlers.when_briefing_ready_queue_notices(
        pair.notifier.uow(), ready, organizer_email="s@example.kr", now=datetime.now(UTC)
    )
    assert queued == 1
    assert await pair.notifier.dispatcher.send_due() == 1

    [sent] = staged(pair.notifier, NotifierOutbox)
    assert sent.type == "notice.sent"
    assert (sent.correlation_id, sent.causation_id, sent.office_id) == ("req-7", ready.id, "seoul")
    assert [d.to_address for d in pair.mailer.sent] == ["m1@council.example"]

    notices = (await pair.http.get("/api/notices")).json()
    assert [(n["member_id"], n["status"], n["change"]) for n in notices] == [
        ("m-1", "sent", "scheduled")
    ]
    page = (await pair.http.get("/notices")).text
    assert "발송 완료" in page and "가온 의원님께" in page
    public = (await pair.http.get("/feeds/public.ics")).content
    assert b"UID:stop-1@" in public and "노원구 일대".encode() in public
    [briefing] = (await pair.http.get("/api/briefings/stop-1")).json()
    assert briefing["briefing_id"] == ready.payload.briefing_id
    assert briefing["change"] == "scheduled" and briefing["talking_points"]
