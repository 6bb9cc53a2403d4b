"""Reminders, press follow-ups and merged digests on real parts: SQLite and PostgreSQL, a real
SMTP server (aiosmtpd) whose mailbox is counted, and the notifier's own dispatcher.

Notices are queued through the handler with a `now` two days back, so that what the rules
schedule for "later" (a reminder the day before, the next digest) is due when the real
clock's dispatcher runs; nothing waits.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from typer.testing import CliRunner

from schemas.briefing import BriefedStop, BriefingReady
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, NOTICE_SENT
from schemas.vocabulary import StopChangeKind
from services.cli import client
from services.cli.app import build_http_app
from services.cli.main import app as cli
from services.common.errors import StateConflict
from services.common.smtp_sink import ReceivedMail, SmtpSink, read_mailbox
from services.notifier import handlers, recipient_handlers
from services.notifier.adapters.orm import NotifierOutbox
from services.notifier.bootstrap import MIGRATIONS, VERSION_TABLE, Notifier, build_notifier
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.follow_ups import FollowUp
from services.notifier.domain.preferences import Preferences
from services.notifier.domain.recipients import CouncilMember
from services.notifier.settings import NotifierSettings

UNUSED_BROKER = "127.0.0.1:1"  # notice events stay in the outbox; the relay is not started
REAL_NOW = datetime.now(UTC).replace(microsecond=0)
BACK_THEN = REAL_NOW - timedelta(days=2)  # when the notices were queued


def member(id: str, district: str | None, committees: frozenset[str] = frozenset(),
           roles: frozenset[str] = frozenset()) -> CouncilMember:  # fmt: skip
    return CouncilMember(
        id, f"의원{id}", f"{id}@council.example", district, committees, roles, "가당"
    )


ROSTER = [
    member("m-remind", "노원구"),
    member("m-plain", "노원구"),
    member("m-econ-1", None, frozenset({"기획경제위원회"})),
    member("m-econ-2", None, frozenset({"기획경제위원회"})),
    member("m-chair", None, roles=frozenset({"chair"})),
    member("m-env", None, frozenset({"환경수자원위원회"})),
]


@dataclass
class Running:
    notifier: Notifier
    sink: SmtpSink
    http: httpx.AsyncClient

    def mails(self) -> list[ReceivedMail]:
        return read_mailbox(self.sink.maildir)

    def deliveries(self) -> list[Delivery]:
        with self.notifier.uow() as uow:
            return uow.repo.recent_deliveries(10_000)

    def prefer(self, preferences: Preferences) -> None:
        recipient_handlers.update_preferences(self.notifier.uow(), preferences, REAL_NOW)


def build(database_url: str, tmp_path: Path, sink: SmtpSink, **extra: Any) -> Notifier:
    settings = NotifierSettings(
        database_url=database_url,
        data_dir=tmp_path,
        smtp_host=sink.host,
        smtp_port=sink.port,
        send_at_lead_time=False,
        **extra,
    )
    return build_notifier(settings, UNUSED_BROKER)


@pytest.fixture
async def running(database_url: str, tmp_path: Path, smtp_sink: SmtpSink) -> AsyncIterator[Running]:
    notifier = build(database_url, tmp_path, smtp_sink)
    notifier.migrate()
    handlers.load_roster(notifier.uow(), ROSTER, REAL_NOW)
    app = build_http_app({"notifier": notifier.router}, {})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield Running(notifier, smtp_sink, http)
    await notifier.mailer.close()  # type: ignore[attr-defined]
    notifier.engine.dispose()


def stop(stop_id: str, version: int, starts_at: datetime, **fields: Any) -> BriefedStop:
    values: dict[str, Any] = {
        "stop_id": stop_id, "version": version, "title": "착공식", "purpose": "착공 축하",
        "category": "groundbreaking", "place_name": "월계역 환승주차장", "district": "노원구",
        "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=1), "public": True,
        "important": False, "requesting_department": "도시기반시설본부",
    }  # fmt: skip
    return BriefedStop.model_validate(values | fields)


def briefing(
    now: BriefedStop, change: StopChangeKind = StopChangeKind.SCHEDULED, before: Any = None
) -> Envelope[Any]:
    payload = BriefingReady(
        briefing_id=f"br-{uuid.uuid4().hex[:8]}", change=change, stop=now, previous=before,
        summary="요약", talking_points=[], knowledge_base_version="kb",
    )  # fmt: skip
    return BRIEFING_READY.envelope(payload, producer="briefing", correlation_id="req-1")


def queue(r: Running, event: Envelope[Any], now: datetime = BACK_THEN) -> int:
    notifier = r.notifier
    return handlers.when_briefing_ready_queue_notices(
        notifier.uow(), event, organizer_email="s@seoul.example", now=now,
        rules=notifier.settings.rule_set(), reminders=notifier.settings.reminder_policy(),
    )  # fmt: skip


def by_recipient(mails: list[ReceivedMail]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for mail in mails:
        found.setdefault(mail.envelope_to, []).append(mail.subject)
    return found


def invitations(mail: ReceivedMail) -> list[Any]:
    parts = [p for p in mail.message.walk() if p.get_content_type() == "text/calendar"]
    return [Calendar.from_ical(p.get_content()).walk("VEVENT")[0] for p in parts]


async def test_a_reminder_arrives_once_with_the_notices_invitation(running: Running) -> None:
    r = running
    r.prefer(Preferences("m-remind", day_before_reminder=True))
    queue(r, briefing(stop("stop-r", 1, REAL_NOW + timedelta(hours=2))))

    await r.notifier.dispatcher.send_due()
    await r.notifier.dispatcher.send_due()  # nothing left: nothing twice

    mails = by_recipient(r.mails())
    assert sorted(mails) == ["m-plain@council.example", "m-remind@council.example"]
    assert len(mails["m-plain@council.example"]) == 1, "no reminder unless chosen"
    tags = sorted(subject.split("]")[0] + "]" for subject in mails["m-remind@council.example"])
    assert tags == ["[내일 일정 안내]", "[사전안내]"]
    [notice, reminder] = sorted(
        (m for m in r.mails() if m.envelope_to == "m-remind@council.example"),
        key=lambda m: "내일" in m.subject,
    )
    [notice_event], [reminder_event] = invitations(notice), invitations(reminder)
    assert reminder_event["UID"] == notice_event["UID"]
    assert reminder_event["SEQUENCE"] == notice_event["SEQUENCE"] == 1
    assert notice.message["Message-ID"] != reminder.message["Message-ID"]
    assert {d.status for d in r.deliveries()} == {DeliveryStatus.SENT}
    sent = [json.loads(body)["payload"] for body in sent_events(r.notifier)]
    assert sorted((e["recipient_id"], e["purpose"]) for e in sent) == [
        ("m-plain", "notice"), ("m-remind", "notice"), ("m-remind", "reminder"),
    ], "notice.sent says what each delivery was for"  # fmt: skip


async def test_a_member_who_turns_reminders_off_gets_none_of_those_queued(
    running: Running,
) -> None:
    r = running
    r.prefer(Preferences("m-remind", day_before_reminder=True))
    queue(r, briefing(stop("stop-o", 1, REAL_NOW + timedelta(hours=2))))

    r.prefer(Preferences("m-remind", day_before_reminder=False))
    await r.notifier.dispatcher.send_due()

    assert not [m for m in r.mails() if m.subject.startswith("[내일 일정 안내]")]
    states = {(d.member_id, d.purpose): d.status for d in r.deliveries()}
    assert states[("m-remind", DeliveryPurpose.REMINDER)] is DeliveryStatus.SUPERSEDED
    assert states[("m-remind", DeliveryPurpose.NOTICE)] is DeliveryStatus.SENT


async def test_a_member_who_turns_reminders_on_gets_one_for_a_stop_already_announced(
    running: Running,
) -> None:
    r = running
    queue(r, briefing(stop("stop-n", 1, REAL_NOW + timedelta(days=3))), now=REAL_NOW)
    await r.notifier.dispatcher.send_due()  # the notice goes; no reminder was chosen

    answer = await r.http.put(
        "/api/members/m-remind/preferences",
        json={"channels": ["email"], "day_before_reminder": True},
    )

    assert answer.status_code == 200, answer.text
    mine = {(d.purpose, d.status) for d in r.deliveries() if d.member_id == "m-remind"}
    assert mine == {
        (DeliveryPurpose.NOTICE, DeliveryStatus.SENT),
        (DeliveryPurpose.REMINDER, DeliveryStatus.PENDING),
    }
    [reminder] = [d for d in r.deliveries() if d.purpose is DeliveryPurpose.REMINDER]
    assert REAL_NOW < reminder.next_attempt_at < REAL_NOW + timedelta(days=3)


async def test_a_reminder_superseded_by_a_move_never_arrives(running: Running) -> None:
    r = running
    r.prefer(Preferences("m-remind", day_before_reminder=True))
    first = stop("stop-m", 1, REAL_NOW + timedelta(hours=2))
    queue(r, briefing(first))  # its reminder would be due now
    moved = stop("stop-m", 2, REAL_NOW + timedelta(days=3))
    queue(r, briefing(moved, StopChangeKind.RESCHEDULED, first), now=REAL_NOW)

    await r.notifier.dispatcher.send_due()

    assert [m.subject.startswith("[내일 일정 안내]") for m in r.mails()] == [False, False]
    states = {(d.member_id, d.stop_version, d.purpose): d.status for d in r.deliveries()}
    assert states[("m-remind", 1, DeliveryPurpose.REMINDER)] is DeliveryStatus.SUPERSEDED
    assert states[("m-remind", 2, DeliveryPurpose.REMINDER)] is DeliveryStatus.PENDING, (
        "the new version's reminder waits for the day before"
    )


async def test_a_follow_up_reaches_exactly_the_members_told_of_the_press_stop(
    running: Running,
) -> None:
    r = running
    press = stop("stop-p", 1, REAL_NOW - timedelta(hours=1), category="press",
                 policy_area="economy", title="청년 주거 지원 발표", district="중구")  # fmt: skip
    queue(r, briefing(press))
    await r.notifier.dispatcher.send_due()
    told = {"m-econ-1@council.example", "m-econ-2@council.example", "m-chair@council.example"}
    assert set(by_recipient(r.mails())) == told

    marks = []
    for progress in ("신청 접수를 시작했습니다.", "1차 선정 결과를 발표했습니다."):
        answer = await r.http.post("/api/stops/stop-p/follow-ups", json={"progress": progress})
        assert answer.status_code == 201, answer.text
        marks.append(answer.json())
        await r.notifier.dispatcher.send_due()

    assert [(m["number"], m["recipients"]) for m in marks] == [(1, 3), (2, 3)]
    mails = by_recipient(r.mails())
    assert set(mails) == told, "nobody who was not told of the announcement"
    for subjects in mails.values():
        assert Counter(s.split("]")[0] + "]" for s in subjects) == {
            "[사전안내]": 1,
            "[후속 안내]": 2,
        }
    second = [
        m for m in r.mails() if "1차 선정 결과" in m.message.get_body(("plain",)).get_content()
    ]
    assert len(second) == 3
    assert not invitations(second[0]), "a follow-up changes nothing in the calendar"

    why = (await r.http.get(f"/api/notices/{marks[1]['notice_ids'][0]}/why")).json()
    assert why["notice"]["purpose"] == "follow_up"
    assert why["follow_up"]["progress"] == "1차 선정 결과를 발표했습니다."
    assert {d["rule"] for d in why["decisions"]} & {"press_committee", "press_leadership"}
    listed = (await r.http.get("/api/stops/stop-p/follow-ups")).json()
    assert [f["number"] for f in listed] == [1, 2]


@contextmanager
def cli_on(notifier: Notifier, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A CLI runner whose HTTP calls go to this notifier's routes, in this process."""
    with TestClient(build_http_app({"notifier": notifier.router}, {})) as test_client:

        def request(method: str, url: str, json: Any = None, timeout: float = 0) -> Any:
            return test_client.request(method, url.removeprefix(client.DEFAULT_API), json=json)

        monkeypatch.setattr(client.httpx, "request", request)
        yield CliRunner()


async def test_progress_is_marked_from_the_cli_and_its_refusal_is_explained(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = running
    press = stop("stop-p", 1, REAL_NOW - timedelta(hours=1), category="press",
                 policy_area="economy", title="청년 주거 지원 발표", district="중구")  # fmt: skip
    queue(r, briefing(press))
    await r.notifier.dispatcher.send_due()

    with cli_on(r.notifier, monkeypatch) as runner:
        marked = runner.invoke(cli, ["notice", "follow-up", "stop-p", "신청 접수를 시작했습니다."])
        refused = runner.invoke(cli, ["notice", "follow-up", "stop-nope", "진행"])

    assert marked.exit_code == 0, marked.output
    assert "stop-p 후속 안내 1차: 3명에게 발송 대기" in marked.output
    await r.notifier.dispatcher.send_due()
    assert sum("[후속 안내]" in m.subject for m in r.mails()) == 3
    assert refused.exit_code == 1 and "HTTP 404" in refused.stderr


async def test_a_follow_up_is_refused_for_unknown_non_press_cancelled_or_empty(
    running: Running,
) -> None:
    r = running
    queue(r, briefing(stop("stop-g", 1, REAL_NOW - timedelta(hours=1))))
    press = stop("stop-c", 1, REAL_NOW - timedelta(hours=1), category="press",
                 policy_area="economy")  # fmt: skip
    queue(r, briefing(press))
    queue(r, briefing(stop("stop-c", 2, press.starts_at, category="press", policy_area="economy"),
                      StopChangeKind.CANCELLED))  # fmt: skip

    async def post(stop_id: str, progress: str) -> httpx.Response:
        return await r.http.post(f"/api/stops/{stop_id}/follow-ups", json={"progress": progress})

    assert (await post("stop-none", "진행")).status_code == 404
    for stop_id, progress, field in [
        ("stop-g", "진행", "stop_id"),
        ("stop-c", "진행", "stop_id"),
        ("stop-g", "", "progress"),
        ("stop-g", "가" * 1001, "progress"),
    ]:
        answer = await post(stop_id, progress)
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [field]


def sent_events(notifier: Notifier) -> list[str]:
    with Session(notifier.engine) as session:
        rows = session.exec(
            select(NotifierOutbox.body).where(NotifierOutbox.event_type == NOTICE_SENT.type)
        )
        return list(rows)


async def test_a_digest_member_receives_one_mail_for_n_notices_with_n_invitations(
    running: Running,
) -> None:
    r = running
    r.prefer(Preferences("m-remind", daily_digest=True))  # m-plain: each notice on its own
    starts = REAL_NOW + timedelta(days=3)
    for index in range(3):
        queue(r, briefing(stop(f"stop-d{index}", 1, starts + timedelta(hours=index),
                               title=f"현장 {index}")))  # fmt: skip

    await r.notifier.dispatcher.send_due()
    await r.notifier.dispatcher.send_due()

    mails = r.mails()
    [digest] = [m for m in mails if m.envelope_to == "m-remind@council.example"]
    assert digest.subject.startswith("[묶음 안내]") and digest.subject.endswith("3건")
    text = digest.message.get_body(("plain",)).get_content()
    assert all(f"현장 {i}" in text for i in range(3))
    assert sorted(str(e["UID"]) for e in invitations(digest)) == [
        f"stop-d{i}@dongseon.seoul.go.kr" for i in range(3)
    ]
    assert len([m for m in mails if m.envelope_to == "m-plain@council.example"]) == 3
    assert {d.status for d in r.deliveries()} == {DeliveryStatus.SENT}
    assert len(sent_events(r.notifier)) == 6, "notice.sent for each notice of the digest too"


async def test_two_dispatchers_send_each_digest_whole_and_once(
    database_url: str, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    """Claims of two notices at a time, from two dispatchers at once: each digest of three
    is claimed whole by one of them."""
    members = [member(f"m-{i}", "노원구") for i in range(8)]
    first, second = (build(database_url, tmp_path, smtp_sink, dispatch_batch_size=2) for _ in "ab")
    first.migrate()
    handlers.load_roster(first.uow(), members, REAL_NOW)
    for m in members:
        recipient_handlers.update_preferences(
            first.uow(), Preferences(m.id, daily_digest=True), REAL_NOW
        )
    r = Running(first, smtp_sink, httpx.AsyncClient())
    for index in range(3):
        queue(r, briefing(stop(f"stop-t{index}", 1, REAL_NOW + timedelta(days=3, hours=index))))

    sent = await asyncio.gather(first.dispatcher.send_due(), second.dispatcher.send_due())

    assert sum(sent) == 24
    mails = r.mails()
    assert Counter(m.envelope_to for m in mails) == {m.email: 1 for m in members}
    assert all(len(invitations(m)) == 3 for m in mails)
    for notifier in (first, second):
        await notifier.mailer.close()  # type: ignore[attr-defined]
        notifier.engine.dispose()
    await r.http.aclose()


def test_a_second_mark_with_the_same_number_is_a_conflict_not_a_crash(
    database_url: str, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    """Two operators marking at once pick the same number; the later insert is refused."""
    notifier = build(database_url, tmp_path, smtp_sink)
    notifier.migrate()
    mark = FollowUp("fu-1", "stop-x", 1, 1, "접수 시작", REAL_NOW)
    with notifier.uow() as uow:
        uow.repo.add_follow_up(mark)
        uow.commit()
    with notifier.uow() as uow, pytest.raises(StateConflict):
        uow.repo.add_follow_up(replace(mark, id="fu-2"))
    with notifier.uow() as uow:
        assert [f.id for f in uow.repo.follow_ups_for_stop("stop-x")] == ["fu-1"]
    notifier.engine.dispose()


def test_rows_from_before_purposes_are_notices_and_a_reminder_fits_beside_them(
    database_url: str, tmp_path: Path, smtp_sink: SmtpSink
) -> None:
    notifier = build(database_url, tmp_path, smtp_sink)
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["version_table"] = VERSION_TABLE
    with notifier.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "90171ebc250e")  # the revision before purposes
        connection.execute(
            text(
                "INSERT INTO notifier_delivery (id, office_id, stop_id, stop_version, member_id,"
                " change, to_address, subject, text_body, html_body, ics, ics_method, status,"
                " attempts, next_attempt_at, created_at) VALUES ('nt-old', 'seoul', 'stop-o', 1,"
                " 'm-1', 'scheduled', 'm1@council.example', '[사전안내] …', '본문', '<p>본문</p>',"
                " '', 'REQUEST', 'sent', 1, :at, :at)"
            ),
            {"at": REAL_NOW},
        )
    notifier.migrate()

    [old] = notifier_deliveries(notifier)
    assert (old.purpose, old.follow_up_no, old.digest_at) == (DeliveryPurpose.NOTICE, 0, None)
    reminder = replace(old, id="nt-reminder", purpose=DeliveryPurpose.REMINDER)
    with notifier.uow() as uow:
        uow.repo.add_deliveries([reminder])
        uow.commit()
    with pytest.raises(IntegrityError), notifier.uow() as uow:  # one reminder per version
        uow.repo.add_deliveries([replace(reminder, id="nt-again")])
        uow.commit()
    assert {d.id for d in notifier_deliveries(notifier)} == {"nt-old", "nt-reminder"}
    notifier.engine.dispose()


def notifier_deliveries(notifier: Notifier) -> list[Delivery]:
    with notifier.uow() as uow:
        return uow.repo.recent_deliveries(100)


async def test_the_day_before_reminder_is_a_preference_of_the_api(running: Running) -> None:
    r, url = running, "/api/members/m-remind/preferences"
    assert (await r.http.get(url)).json()["day_before_reminder"] is False, "off by default"

    chosen = await r.http.put(url, json={"channels": ["email"], "day_before_reminder": True})
    assert chosen.status_code == 200, chosen.text
    assert (await r.http.get(url)).json()["day_before_reminder"] is True
    assert "전날 알림: 예" in (await r.http.get("/members/m-remind")).text

    wrong = await r.http.put(url, json={"channels": ["email"], "day_before_reminder": "가끔"})
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["day_before_reminder"]
