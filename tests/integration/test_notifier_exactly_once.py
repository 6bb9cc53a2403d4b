"""Every notice once, none missing: claims, crashes, outages and refusals on real parts.

Real Tansu broker (notice events), real aiosmtpd server (counted by Message-ID and
recipient), SQLite and PostgreSQL. Notices are queued straight into the database, so what
is tested is the dispatch, whatever the recipient rules decide. The claim query differs
per database, so the race runs on both; the crash runs on PostgreSQL (the database of a
multi-process deployment), the outage and the refusal, which do not depend on it, on SQLite.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from schemas.events import NOTICE_FAILED, NOTICE_SENT
from schemas.topics import NOTICES
from schemas.vocabulary import StopChangeKind
from services.common.embedded_broker import free_port
from services.common.topics import ensure_topics
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryStatus
from services.notifier.domain.notices import Notice, NoticeKind
from services.notifier.settings import NotifierSettings

ROOT = Path(__file__).resolve().parents[2]
REFUSED = "refused@council.example"
MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]+>)", re.MULTILINE | re.IGNORECASE)
FAST = {
    "dispatch_poll_seconds": 0.1,
    "outbox_poll_seconds": 0.1,
    "retry_base_seconds": 0.1,
    "retry_max_seconds": 0.5,
    "claim_lease_seconds": 2.0,
    "dispatch_batch_size": 20,
}
BURST = 120


class CountingHandler:
    """aiosmtpd handler: keeps (Message-ID, recipient) of each accepted mail; refuses one
    address with 550; can take `delay` seconds per message to stretch a burst."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.received: list[tuple[str, str]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        message_id = found.group(1).decode() if found else "?"
        self.received += [(message_id, rcpt) for rcpt in envelope.rcpt_tos]
        return "250 Message accepted for delivery"

    def copies(self) -> Counter[tuple[str, str]]:
        return Counter(self.received)


class MaildirCount:
    """What an aiosmtpd server in its own process stored: (Message-ID, recipient) per mail.

    Used where the notifier's own threads would compete with an in-process server for the
    interpreter lock and slow the burst down; each file is read once.
    """

    def __init__(self, maildir: Path) -> None:
        self.new = maildir / "new"
        self.seen: dict[str, tuple[str, str]] = {}

    @property
    def received(self) -> list[tuple[str, str]]:
        for path in self.new.iterdir() if self.new.exists() else ():
            if path.name not in self.seen:
                head = path.read_bytes().split(b"\n\n", 1)[0]
                message_id = MESSAGE_ID.search(head)
                rcpt = re.search(rb"^X-RcptTo: *(\S+)", head, re.MULTILINE)
                assert message_id and rcpt, head
                self.seen[path.name] = (message_id.group(1).decode(), rcpt.group(1).decode())
        return list(self.seen.values())

    def copies(self) -> Counter[tuple[str, str]]:
        return Counter(self.received)


@contextmanager
def smtp_process(maildir: Path, port: int) -> Iterator[MaildirCount]:
    """`python -m aiosmtpd` storing every mail in a Maildir, as a process of its own."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
        + ["-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield MaildirCount(maildir)
    finally:
        server.terminate()
        server.wait()


@contextmanager
def smtp_server(handler: CountingHandler, port: int) -> Iterator[Controller]:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def delivery(index: int, now: datetime, address: str | None = None) -> Delivery:
    to = address or f"m{index:03d}@council.example"
    return Delivery(
        id=f"nt-{index:04d}",
        stop_id=f"stop-{index % 7}",
        stop_version=1,
        change=StopChangeKind.SCHEDULED,
        notice=Notice(
            recipient_id=f"m-{index:03d}",
            to_address=to,
            kind=NoticeKind.ADVANCE,
            subject=f"[사전안내] 2026년 12월 1일(화) 14:00 노원구 · 착공식 {index}",
            text_body="의원님께\n",
            html_body="<p>의원님께</p>",
            ics=b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            ics_method=IcsMethod.REQUEST,
        ),
        cause=Cause(correlation_id="req-burst", event_id=None, office_id="seoul"),
        created_at=now,
        next_attempt_at=now,
    )


def expected(count: int) -> set[tuple[str, str]]:
    return {(f"<nt-{i:04d}@dongseon>", f"m{i:03d}@council.example") for i in range(count)}


def settings(database_url: str, tmp_path: Path, smtp_port: int, **extra: Any) -> NotifierSettings:
    return NotifierSettings(
        database_url=database_url,
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        **(FAST | extra),
    )


def queue(notifier: Notifier, deliveries: list[Delivery]) -> None:
    with notifier.uow() as uow:
        for item in deliveries:
            uow.repo.add_deliveries([item])
        uow.commit()


def statuses(notifier: Notifier) -> Counter[str]:
    with notifier.uow() as uow:
        return Counter(str(d.status) for d in uow.repo.recent_deliveries(10_000))


async def wait_for(
    predicate: Callable[[], bool], timeout: float = 20.0, state: Callable[[], Any] = lambda: None
) -> None:
    """Poll until `predicate` holds; on timeout say what `state` was."""
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"gave up after {timeout} s; state: {state()}") from None


@asynccontextmanager
async def running(notifier: Notifier) -> AsyncIterator[Notifier]:
    await notifier.start()
    try:
        yield notifier
    finally:
        await notifier.stop()


def notice_events(records: list[Any], kind: str) -> list[dict[str, Any]]:
    bodies = [json.loads(r.value) for r in records]
    return [b["payload"] for b in bodies if b["type"] == kind]


async def test_two_dispatchers_on_one_database_send_every_notice_exactly_once(
    database_url: str, kafka: str, tmp_path: Path, read_topic: Any
) -> None:
    """Both dispatchers claim batches of 10 from the same 120 notices at once."""
    await ensure_topics(kafka)
    port = free_port()
    first = build_notifier(settings(database_url, tmp_path, port, dispatch_batch_size=10), kafka)
    second = build_notifier(settings(database_url, tmp_path, port, dispatch_batch_size=10), kafka)
    first.migrate()
    now = datetime.now(UTC)
    queue(first, [delivery(i, now) for i in range(BURST)])

    with smtp_process(tmp_path / "mail", port) as server:
        async with running(first):  # its relay publishes what both stage in the shared outbox
            second.dispatcher.start()
            try:
                await wait_for(lambda: statuses(first) == Counter({"sent": BURST}))
            finally:
                await second.stop()
            records = await read_topic(kafka, NOTICES.name, at_least=BURST)

    copies = server.copies()
    assert set(copies) == expected(BURST), "every notice reached the server"
    assert max(copies.values()) == 1, "and none twice"
    events = notice_events(records, NOTICE_SENT.type)
    assert Counter(e["notice_id"] for e in events) == Counter(f"nt-{i:04d}" for i in range(BURST))


def start_notifier_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`dongseon notifier` as its own process: the real entrypoint, killable with SIGKILL."""
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli.main", "notifier", "--port", str(free_port())],
        cwd=ROOT,
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def test_a_notifier_killed_mid_burst_loses_nothing_and_repeats_only_unrecorded_sends(
    postgres_url: str, kafka: str, tmp_path: Path
) -> None:
    """SIGKILL `dongseon notifier` while mails flow; another notifier (here in the test's
    process, to save a second start-up) takes the dead one's claims once their lease ran
    out. A copy is possible only of what the server accepted and the dead process had not
    yet recorded: at most `record_every` notices, each with its Message-ID."""
    await ensure_topics(kafka)
    handler, port = CountingHandler(delay=0.005), free_port()
    local = build_notifier(settings(postgres_url, tmp_path, port), kafka)
    local.migrate()
    queue(local, [delivery(i, datetime.now(UTC)) for i in range(200)])
    record_every, concurrency = 10, 4
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DATABASE_URL": postgres_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "NOTIFIER_DISPATCH_POLL_SECONDS": "0.1",
        "NOTIFIER_CLAIM_LEASE_SECONDS": "1",
        "NOTIFIER_DISPATCH_BATCH_SIZE": "50",
        "NOTIFIER_DISPATCH_RECORD_EVERY": str(record_every),
        "NOTIFIER_SMTP_CONCURRENCY": str(concurrency),
        "DONGSEON_LOG_LEVEL": "WARNING",
    }

    with smtp_server(handler, port):
        doomed = start_notifier_process(env)
        try:
            await wait_for(lambda: len(handler.received) >= 40, timeout=30)
        finally:
            doomed.send_signal(signal.SIGKILL)
            doomed.wait()
        at_kill = len(handler.received)
        assert at_kill < 200, "the kill must land mid-burst"
        local.dispatcher.start()
        try:
            await wait_for(lambda: statuses(local) == Counter({"sent": 200}))
        finally:
            await local.dispatcher.stop()
            await local.mailer.close()  # type: ignore[attr-defined]
    local.engine.dispose()

    copies = handler.copies()
    assert set(copies) == expected(200), "every notice arrived"
    repeated = {key: n for key, n in copies.items() if n > 1}
    assert all(n == 2 for n in repeated.values()), repeated
    assert len(repeated) <= record_every, repeated


async def test_notices_wait_while_the_mail_server_is_down_and_arrive_once(
    kafka: str, tmp_path: Path, read_topic: Any
) -> None:
    database_url = f"sqlite:///{tmp_path / 'notifier.db'}"
    await ensure_topics(kafka)
    handler, port = CountingHandler(), free_port()
    notifier = build_notifier(settings(database_url, tmp_path, port), kafka)
    notifier.migrate()
    queue(notifier, [delivery(i, datetime.now(UTC)) for i in range(20)])

    def all_tried() -> bool:
        with notifier.uow() as uow:
            return all(d.attempts >= 2 for d in uow.repo.recent_deliveries(100))

    async with running(notifier):
        await wait_for(all_tried, state=lambda: statuses(notifier))  # down: each failed twice
        assert statuses(notifier) == Counter({"pending": 20})
        with smtp_server(handler, port):
            await wait_for(lambda: statuses(notifier) == Counter({"sent": 20}))
        records = await read_topic(kafka, NOTICES.name, at_least=60)

    copies = handler.copies()
    assert set(copies) == expected(20) and max(copies.values()) == 1
    assert len(notice_events(records, NOTICE_SENT.type)) == 20
    failed = notice_events(records, NOTICE_FAILED.type)
    assert len(failed) >= 40 and not any(e["final"] for e in failed)


async def test_a_refused_address_fails_at_once_with_the_reason_and_is_not_retried(
    kafka: str, tmp_path: Path, read_topic: Any
) -> None:
    database_url = f"sqlite:///{tmp_path / 'notifier.db'}"
    await ensure_topics(kafka)
    handler, port = CountingHandler(), free_port()
    notifier = build_notifier(settings(database_url, tmp_path, port), kafka)
    notifier.migrate()
    now = datetime.now(UTC)
    queue(notifier, [delivery(0, now), delivery(1, now), delivery(2, now, REFUSED)])

    with smtp_server(handler, port):
        async with running(notifier):
            await wait_for(lambda: statuses(notifier) == Counter({"sent": 2, "failed": 1}))
            assert await notifier.dispatcher.send_due() == 0, "nothing left to try"
            records = await read_topic(kafka, NOTICES.name, at_least=3)
        with notifier.uow() as uow:
            refused = uow.repo.get_delivery("nt-0002")
    assert refused is not None
    assert (refused.status, refused.attempts) == (DeliveryStatus.FAILED, 1)
    assert refused.last_error and "550" in refused.last_error and REFUSED in refused.last_error
    assert set(handler.copies()) == expected(2)
    [failed] = notice_events(records, NOTICE_FAILED.type)
    assert failed["notice_id"] == "nt-0002" and failed["final"] is True
    assert "550" in failed["error"]
    notifier.engine.dispose()
