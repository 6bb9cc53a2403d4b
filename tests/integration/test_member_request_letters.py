"""A member's answered request reaches them by e-mail exactly once, and after a council
session one report of what was answered: real Tansu broker, real aiosmtpd, SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from schemas.envelope import Envelope
from schemas.events import MEMBER_REQUEST_ANSWERED
from schemas.member_requests import MemberRequestAnswered, RequestKind, RequestStatus
from schemas.topics import MEMBER_REQUESTS
from services.common.http import install_error_handlers
from services.common.smtp_sink import SmtpSink, read_mailbox
from services.common.topics import ensure_topics
from services.notifier import handlers
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.member_letters import Letter, LetterStatus
from services.notifier.domain.recipients import CouncilMember
from services.notifier.member_letters_handlers import recent_letters
from services.notifier.settings import NotifierSettings

ANSWERED_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
FAST = {"dispatch_poll_seconds": 0.1, "outbox_poll_seconds": 0.1, "retry_base_seconds": 0.1}
MEMBER = CouncilMember(
    "m-021", "성빛나", "m021@council.example.kr", "노원구", frozenset(), frozenset(), "가상당"
)


def answered(member_id: str, request_id: str) -> Envelope[MemberRequestAnswered]:
    payload = MemberRequestAnswered(
        request_id=request_id,
        member_id=member_id,
        member_name="성빛나",
        kind=RequestKind.REQUEST,
        district="노원구",
        text="월계역 환승주차장 공사 기간 보행로 안전 확보",
        session="제311회 정례회",
        department="도시기반시설본부",
        status=RequestStatus.ANSWERED,
        previous_status=RequestStatus.IN_PROGRESS,
        action_taken="보행 안전펜스 120m 설치 완료",
        answered_by="도시기반시설본부",
        answered_at=ANSWERED_AT,
    )
    return MEMBER_REQUEST_ANSWERED.envelope(payload, producer="test", correlation_id="corr-1")


async def publish(notifier: Notifier, envelope: Envelope[Any]) -> None:
    key = MEMBER_REQUEST_ANSWERED.partition_key(envelope).encode()
    await notifier.broker.publish(
        envelope.model_dump_json().encode(), MEMBER_REQUESTS.name, key=key
    )


async def wait_for(
    predicate: Callable[[], bool], state: Callable[[], Any], timeout: float = 20
) -> None:
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"gave up; state: {state()}") from None


def letters(notifier: Notifier) -> list[Letter]:
    return recent_letters(notifier.letters.letters_uow())


def statuses(notifier: Notifier) -> dict[str, LetterStatus]:
    return {f"{x.kind}:{x.member_id}": x.status for x in letters(notifier)}


async def test_an_answer_is_mailed_once_and_the_session_report_once(
    database_url: str, kafka: str, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    await ensure_topics(kafka)
    settings = NotifierSettings(
        database_url=database_url,
        data_dir=tmp_path,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        **FAST,
    )
    notifier = build_notifier(settings, kafka)
    notifier.migrate()
    handlers.load_roster(notifier.uow(), [MEMBER], datetime.now(UTC))
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(notifier.router)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notifier")

    first = answered("m-021", "mr-1")
    again = answered("m-021", "mr-1")  # the same answer under another event id
    stranger = answered("m-999", "mr-2")  # a member the roster lacks
    await notifier.start()
    try:
        for envelope in (first, first, again, stranger):
            await publish(notifier, envelope)
        handled = notifier.consumers.handled
        await wait_for(lambda: handled["member_request.answered v1"] == 4, lambda: handled)
        expected = {"answer:m-021": LetterStatus.SENT, "answer:m-999": LetterStatus.FAILED}
        await wait_for(lambda: statuses(notifier) == expected, lambda: statuses(notifier))

        assert len(letters(notifier)) == 2, "one letter per answer, whatever the event ids"
        [mail] = read_mailbox(smtp_sink.maildir)
        assert mail.envelope_to == "m021@council.example.kr"
        assert mail.message["Reply-To"] == "secretariat@seoul.example.kr"
        assert mail.message["Date"] is not None
        assert mail.subject.startswith("[조치결과] 성빛나 의원님 건의사항")
        body = mail.message.get_body(preferencelist=("plain",)).get_content()
        assert "- 조치 결과: 보행 안전펜스 120m 설치 완료" in body
        assert "- 제기: 제311회 정례회" in body
        [failed] = [x for x in letters(notifier) if x.member_id == "m-999"]
        assert failed.attempts == 0 and "명단에 없는 시의원" in (failed.last_error or "")

        ended = {
            "session": "제311회 정례회",
            "ended_at": (ANSWERED_AT + timedelta(days=1)).isoformat(),
        }
        bad = await http.post("/api/member-reports", json=ended | {"session": "정례회"})
        assert bad.status_code == 422
        report = await http.post("/api/member-reports", json=ended)
        assert report.status_code == 202, report.text
        assert report.json()["items"] == 2  # m-021's item and m-999's (whose report fails)
        repeat = await http.post("/api/member-reports", json=ended)
        assert repeat.json() == {"session": "제311회 정례회", "letters": [], "items": 0}
        expected |= {"report:m-021": LetterStatus.SENT, "report:m-999": LetterStatus.FAILED}
        await wait_for(lambda: statuses(notifier) == expected, lambda: statuses(notifier))
    finally:
        await http.aclose()
        await notifier.stop()

    mails = read_mailbox(smtp_sink.maildir)
    assert len(mails) == 2, [m.subject for m in mails]
    assert mails[1].subject == "[조치결과 보고] 제311회 정례회 · 성빛나 의원님 1건"
    assert len({m.message["Message-ID"] for m in mails}) == 2
