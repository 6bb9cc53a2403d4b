"""The notifier's mailer against a real SMTP server: the message as received, a server down.

Retries, claims, outages and refusals through the whole dispatcher are in
test_notifier_exactly_once.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from schemas.vocabulary import StopChangeKind
from services.common.embedded_broker import free_port
from services.common.smtp_sink import SmtpSink, read_mailbox
from services.notifier.adapters.smtp import SmtpConfig, SmtpMailer
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Cause, Delivery
from services.notifier.domain.notices import Notice, NoticeKind

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//KO\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:stop-1@dongseon.seoul.go.kr\r\nDTSTAMP:20261123T000000Z\r\nDTSTART:20261201T010000Z\r\n"
    "DTEND:20261201T020000Z\r\nSUMMARY:노원구 착공식\r\nSEQUENCE:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def delivery() -> Delivery:
    now = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    return Delivery(
        id="nt-1",
        stop_id="stop-1",
        stop_version=1,
        change=StopChangeKind.SCHEDULED,
        notice=Notice(
            recipient_id="m-1",
            to_address="m001@council.example.kr",
            kind=NoticeKind.ADVANCE,
            subject="[사전안내] 2026년 12월 1일(화) 10:00 노원구 · 송전선로 지중화 착공식",
            text_body="가온 의원님, 안녕하십니까.",
            html_body="<p>가온 의원님</p>",
            ics=ICS.encode("utf-8"),
            ics_method=IcsMethod.REQUEST,
        ),
        cause=Cause(correlation_id="req-1", event_id=None, office_id="seoul"),
        created_at=now,
        next_attempt_at=now,
    )


async def test_notice_arrives_with_text_html_and_invitation(smtp_sink: SmtpSink) -> None:
    mailer = SmtpMailer(
        SmtpConfig(smtp_sink.host, smtp_sink.port),
        "schedule@seoul.example.kr",
        "시장 비서실",
        reply_to="secretariat@seoul.example.kr",
    )
    await mailer.send(delivery())
    await mailer.send(delivery())  # a resend after a crash: the same message
    await mailer.close()

    first, second = read_mailbox(smtp_sink.maildir)
    message = first.message
    assert first.envelope_to == "m001@council.example.kr"
    assert (
        message["Subject"] == "[사전안내] 2026년 12월 1일(화) 10:00 노원구 · 송전선로 지중화 착공식"
    )
    assert message["Message-ID"] == "<nt-1@dongseon>"
    assert message["Date"].datetime == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert message["Reply-To"] == "secretariat@seoul.example.kr"
    assert str(message["From"]) == "시장 비서실 <schedule@seoul.example.kr>"
    assert first.message.as_bytes() == second.message.as_bytes(), "a resend is recognisable"
    assert "가온 의원님" in message.get_body(preferencelist=("plain",)).get_content()
    assert "<p>" in message.get_body(preferencelist=("html",)).get_content()
    [invite] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    event = Calendar.from_ical(invite.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == "stop-1@dongseon.seoul.go.kr"


async def test_a_down_mail_server_raises_so_the_dispatcher_retries() -> None:
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", free_port(), timeout=2), "s@example.kr", "비서실")
    try:
        await mailer.send(delivery())
    except Exception as error:  # aiosmtplib raises SMTPConnectError
        assert "connect" in repr(error).lower()
    else:
        raise AssertionError("sending to a closed port must fail")
