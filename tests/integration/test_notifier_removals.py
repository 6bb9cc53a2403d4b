"""A member taken off a council meeting's attendees, end to end on a real database and SMTP
server: they receive a cancellation of their invitation, the others an update saying who
left, their feed shows the stop cancelled, and "why was I notified?" answers from the
stored decision."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from icalendar import Calendar
from test_notifier_purposes import (
    REAL_NOW,
    Running,
    briefing,
    cli_on,
    queue,
    running,  # noqa: F401 (the fixture)
    sent_events,
    stop,
)

from schemas.vocabulary import StopChangeKind
from services.cli.main import app as cli
from services.common.smtp_sink import ReceivedMail
from services.notifier import handlers


@pytest.fixture
def r(running: Running) -> Running:  # noqa: F811 (the fixture imported above)
    """The purposes tests' running notifier, by a short name."""
    return running


def invitation(mail: ReceivedMail) -> tuple[str, dict[str, str]]:
    [part] = [p for p in mail.message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), {k: str(event[k]) for k in ("UID", "SEQUENCE", "STATUS")}


async def feed(r: Running, member_id: str) -> bytes:
    token = handlers.feed_token(r.notifier.uow(), member_id, REAL_NOW)
    answer = await r.http.get(f"/feeds/members/{member_id}.ics", params={"token": token})
    assert answer.status_code == 200
    return answer.content


async def test_a_member_taken_off_the_attendees_is_sent_a_cancellation(r: Running) -> None:
    starts = REAL_NOW + timedelta(days=3)
    fields = {"category": "council_meeting", "policy_area": "economy", "title": "기획경제위 간담회"}
    first = stop("stop-c", 1, starts, attendee_ids=["m-econ-1", "m-econ-2"], **fields)
    second = stop("stop-c", 2, starts, attendee_ids=["m-econ-1"], **fields)
    queue(r, briefing(first))
    await r.notifier.dispatcher.send_due()
    queue(r, briefing(second, StopChangeKind.RESCHEDULED, first), now=REAL_NOW)
    await r.notifier.dispatcher.send_due()

    mails = {m.envelope_to: m for m in r.mails() if "[사전안내]" not in m.subject}
    assert sorted(mails) == ["m-econ-1@council.example", "m-econ-2@council.example"]
    removal, update = mails["m-econ-2@council.example"], mails["m-econ-1@council.example"]
    uid = "stop-c@dongseon.seoul.go.kr"
    assert removal.subject.startswith("[안내 대상 제외]")
    assert invitation(removal) == ("CANCEL", {"UID": uid, "SEQUENCE": "2", "STATUS": "CANCELLED"})
    removal_text = removal.message.get_body(("plain",)).get_content()
    assert "참석 명단에서 제외되셨습니다" in removal_text
    assert update.subject.startswith("[일정변경]")
    assert invitation(update) == ("REQUEST", {"UID": uid, "SEQUENCE": "2", "STATUS": "CONFIRMED"})
    update_text = update.message.get_body(("plain",)).get_content()
    assert "변경 사항: 참석 대상 제외: 의원m-econ-2 의원" in update_text

    [delivery] = [d for d in r.deliveries() if d.member_id == "m-econ-2" and d.stop_version == 2]
    why = (await r.http.get(f"/api/notices/{delivery.id}/why")).json()
    [decision] = why["decisions"]
    assert (decision["rule"], decision["included"]) == ("no_longer_concerned", True)
    assert decision["notice_id"] == delivery.id
    assert "참석 명단에서 제외되셨습니다" in decision["explanation"]

    gone, kept = await feed(r, "m-econ-2"), await feed(r, "m-econ-1")
    assert b"UID:stop-c@" in gone and b"STATUS:CANCELLED" in gone
    assert b"STATUS:CONFIRMED" not in gone, "no longer active for them"
    assert b"STATUS:CONFIRMED" in kept
    purposes = {json.loads(body)["payload"]["purpose"] for body in sent_events(r.notifier)}
    assert purposes == {"notice"}


async def test_an_operator_excluding_a_member_who_was_told_cancels_their_invitation(
    r: Running,
) -> None:
    starts = REAL_NOW + timedelta(days=3)
    first = stop("stop-x", 1, starts)
    queue(r, briefing(first))
    await r.notifier.dispatcher.send_due()
    told = [m for m in r.mails() if m.envelope_to == "m-plain@council.example"]
    assert [m.subject[:6] for m in told] == ["[사전안내]"]

    body = {"member_id": "m-plain", "action": "exclude", "reason": "해외 출장 중"}
    for _ in range(2):  # said twice: one withdrawal
        answer = await r.http.post("/api/stops/stop-x/recipients", json=body)
        assert answer.status_code == 200, answer.text
    await r.notifier.dispatcher.send_due()

    mails = [m for m in r.mails() if m.envelope_to == "m-plain@council.example"]
    assert len(mails) == 2
    withdrawal = mails[1]
    assert withdrawal.subject.startswith("[안내 대상 제외]")
    uid = "stop-x@dongseon.seoul.go.kr"
    assert invitation(withdrawal) == (
        "CANCEL",
        {"UID": uid, "SEQUENCE": "1", "STATUS": "CANCELLED"},
    )
    assert "해외 출장 중" in withdrawal.message.get_body(("plain",)).get_content()
    assert b"STATUS:CONFIRMED" not in await feed(r, "m-plain")
    others = [m for m in r.mails() if m.envelope_to == "m-remind@council.example"]
    assert len(others) == 1, "nobody else hears of it"


async def test_an_operator_excludes_a_member_from_the_cli_and_sees_each_decision(
    r: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue(r, briefing(stop("stop-x", 1, REAL_NOW + timedelta(days=3))))
    await r.notifier.dispatcher.send_due()

    with cli_on(r.notifier, monkeypatch) as runner:
        answer = runner.invoke(
            cli,
            ["notice", "recipient", "stop-x", "m-plain", "--exclude", "--reason", "해외 출장 중"],
        )
        missing = runner.invoke(cli, ["notice", "recipient", "stop-x", "m-plain", "--add"])

    assert answer.exit_code == 0, answer.output
    assert "stop-x: m-plain 제외 (해외 출장 중) — 새로 대기한 안내 1건" in answer.output
    assert "[제외] 담당자가 이 일정의 안내 대상에서 제외했습니다: 해외 출장 중" in answer.output
    assert "[안내]" in answer.output and "초대를 취소합니다" in answer.output
    assert missing.exit_code == 2 and "--reason" in missing.output
