"""The notifier's mailer against a real SMTP server, and retry when the server is down."""

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
    now = datetime.now(UTC)
    return Delivery(
        id="nt-1",
        stop_id="stop-1",
        stop_version=1,
        change=StopChangeKind.SCHEDULED,
        notice=Notice(
            recipient_id="m-1",
            to_address="m001@council.example.kr",
            kind=NoticeKind.ADVANCE,
            subject="[사전안내] 12/1(화) 10:00 노원구 · 착공식",
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
        SmtpConfig(smtp_sink.host, smtp_sink.port), "schedule@seoul.example.kr", "시장 비서실"
    )
    await mailer.send(delivery())

    [received] = read_mailbox(smtp_sink.maildir)
    message = received.message
    assert received.envelope_to == "m001@council.example.kr"
    assert message["Subject"] == "[사전안내] 12/1(화) 10:00 노원구 · 착공식"
    assert message["Message-ID"] == "<nt-1@dongseon>"
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


async def test_dispatcher_keeps_a_notice_until_the_mail_server_is_back(
    database_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from sqlmodel import select

    from services.notifier.adapters.orm import NotifierOutbox
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings

    port = free_port()
    notifier = build_notifier(
        NotifierSettings(
            database_url=database_url, data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port
        ),
        "127.0.0.1:1",
    )
    notifier.migrate()
    with notifier.uow() as uow:
        uow.repo.add_delivery(delivery())
        uow.commit()

    assert await notifier.dispatcher.send_due() == 0
    with notifier.uow() as uow:
        row = uow.repo.get_delivery("nt-1")
        events = [r.event_type for r in uow.session.exec(select(NotifierOutbox)).all()]
    assert (row.status, row.attempts) == ("pending", 1)
    assert events == ["notice.failed"]

    with SmtpSink(tmp_path / "mail", "127.0.0.1", port) as sink:
        await asyncio.sleep(2.1)  # first retry is due two seconds after the failure
        assert await notifier.dispatcher.send_due() == 1
        assert await notifier.dispatcher.send_due() == 0, "a sent notice is never sent again"
        assert [m.envelope_to for m in read_mailbox(sink.maildir)] == ["m001@council.example.kr"]
    with notifier.uow() as uow:
        assert uow.repo.get_delivery("nt-1").status == "sent"
        events = [r.event_type for r in uow.session.exec(select(NotifierOutbox)).all()]
    assert events == ["notice.failed", "notice.sent"]
    notifier.engine.dispose()
