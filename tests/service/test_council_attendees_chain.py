"""A council meeting's attendees, from `itinerary.confirmed` to the mails and stored decisions.

Briefing and notifier built through their composition roots on SQLite and PostgreSQL (no
broker): the events are read back from the briefing's outbox as the relay would publish them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
from services.notifier import handlers as notifier_handlers
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import Digest
from services.notifier.domain.recipients import CouncilMember
from services.notifier.settings import NotifierSettings

UNUSED_BROKER = "127.0.0.1:1"
START = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=12)  # inside the lead time
ATTENDEES = ["m-001", "m-004"]


class AcceptingMailer:
    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)

    async def send_digest(self, digest: Digest) -> None:
        raise AssertionError("a council meeting's notices are not digested here")


@dataclass
class Chain:
    briefing: BriefingService
    notifier: Notifier
    mailer: AcceptingMailer
    http: httpx.AsyncClient


def member(id: str, district: str, committees: frozenset[str] = frozenset()) -> CouncilMember:
    return CouncilMember(
        id, f"의원{id}", f"{id}@council.example", district, committees, frozenset(), "가당"
    )


@pytest.fixture
async def chain(database_url: str, tmp_path: Path) -> AsyncIterator[Chain]:
    mailer = AcceptingMailer()
    common: dict[str, Any] = {"database_url": database_url, "data_dir": tmp_path}
    briefing = build_briefing_service(BriefingSettings(**common), UNUSED_BROKER)
    notifier = build_notifier(NotifierSettings(**common), UNUSED_BROKER, mailer=mailer)
    briefing.migrate()
    notifier.migrate()
    roster = [
        member("m-001", "종로구"),
        member("m-004", "용산구"),
        member("m-050", "중구", frozenset({"보건복지위원회"})),  # the committee: not named
    ]
    notifier_handlers.load_roster(notifier.uow(), roster, START)
    app = build_http_app({"briefing": briefing.router, "notifier": notifier.router}, {})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield Chain(briefing, notifier, mailer, http)
    for engine in (briefing.engine, notifier.engine):
        engine.dispose()


def confirmed() -> Envelope[Any]:
    stop = StopSnapshot(
        stop_id="stop-council",
        version=1,
        kind="visit",
        title="보건복지위원회 의원 간담회",
        purpose="돌봄 정책 협의",
        category="council_meeting",
        policy_area="welfare",
        place_name="서울특별시의회 본관",
        district="중구",
        latitude=37.5664,
        longitude=126.9773,
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        public=True,
        important=False,
        requesting_department="대외협력과",
        attendee_ids=ATTENDEES,
    )
    payload = ItineraryConfirmed(
        itinerary_date=START.date(),
        plan_version=1,
        proposal_id="pr-1",
        confirmed_by="일정팀",
        changes=[StopChange(change="scheduled", stop=stop)],
    )
    return ITINERARY_CONFIRMED.envelope(payload, producer="scheduler", correlation_id="req-9")


async def test_a_council_meetings_attendees_are_told_and_the_reason_is_kept(
    chain: Chain,
) -> None:
    now = datetime.now(UTC)
    briefing_handlers.when_itinerary_confirmed_build_briefings(
        chain.briefing.uow(),
        confirmed(),
        records=chain.briefing.record_source,
        council=chain.briefing.council,  # as the consumer passes it
        now=now,
    )
    with chain.briefing.uow() as uow:
        [row] = uow.session.exec(select(BriefingOutbox)).all()
    ready = read_event(row.body)  # as the relay would publish it
    assert ready.payload.stop.attendee_ids == ATTENDEES

    queued = notifier_handlers.when_briefing_ready_queue_notices(
        chain.notifier.uow(), ready, organizer_email="s@example.kr", now=now
    )
    assert queued == 2
    assert await chain.notifier.dispatcher.send_due() == 2
    assert sorted(d.to_address for d in chain.mailer.sent) == [
        "m-001@council.example",
        "m-004@council.example",
    ], "exactly the attendees: not the standing committee's m-050"

    decisions = (await chain.http.get("/api/members/m-004/decisions")).json()
    assert [(d["rule"], d["explanation"]) for d in decisions] == [
        ("council_meeting", "의원 간담회 참석 대상으로 지정되셔서 안내합니다.")
    ]
    assert (await chain.http.get("/api/members/m-050/decisions")).json() == []
    markdown = (await chain.http.get("/api/briefings/stop-council.md")).text
    assert "참석 대상 시의원: 강새벽 의원" in markdown, "named from the briefing's roster"
