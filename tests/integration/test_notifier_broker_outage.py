"""Every notice once, none missing, across a broker outage: real Tansu, real aiosmtpd.

Tansu keeps its topics in memory, so restarting it would lose them; the outage is a network
outage instead. Tansu advertises the port of a small TCP proxy (`KafkaLink`), so every
client's broker traffic passes through it, and the proxy can cut the notifier's link (its
open connections closed, new ones refused) while the test's producer keeps publishing
`briefing.ready` events to the broker, then restore it. The notifier is built and started as
`dongseon notifier` runs it (consumer, dispatcher, outbox relay), on SQLite: the outage does
not depend on the database (the claim race runs on both in test_notifier_exactly_once.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiosmtpd.controller import Controller
from faststream.kafka import KafkaBroker
from sqlmodel import col, select

from schemas.briefing import BriefedStop, BriefingReady, TalkingPoint
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, NOTICE_SENT
from schemas.topics import BRIEFINGS, NOTICES
from schemas.vocabulary import StopChangeKind
from services.common.embedded_broker import EmbeddedBroker, free_port
from services.notifier import handlers
from services.notifier.adapters.orm import NotifierOutbox
from services.notifier.bootstrap import Notifier, build_notifier
from services.notifier.domain.recipients import CouncilMember
from services.notifier.entrypoints.consumers import GROUP
from services.notifier.settings import NotifierSettings

NOTIFIER_CLIENT = "dongseon-notifier"  # the Kafka client id build_notifier gives its broker
FAST = {
    "dispatch_poll_seconds": 0.1,
    "outbox_poll_seconds": 0.1,
    "retry_base_seconds": 0.1,
    "retry_max_seconds": 0.5,
    "claim_lease_seconds": 2.0,
    "dispatch_batch_size": 20,
    "kafka_request_timeout_ms": 2000,  # a publish in the outage fails and the relay retries
}
STOPS, MEMBERS = 16, 8  # 128 notices, half of the events published during the outage
OUTAGE = 3.0  # seconds: longer than the publish timeout above and the 1 s session timeout
HEADER = re.compile(rb"^(Message-ID|X-Dongseon-Stop): *(\S+)", re.MULTILINE | re.IGNORECASE)


class KafkaLink:
    """A TCP proxy in front of Tansu that can cut one Kafka client off the broker.

    The first request on every Kafka connection names its client (request header: size,
    api key, api version, correlation id, then the client id as a 2-byte length and its
    bytes), so the proxy knows whose connection it forwards. `cut(client)` closes that
    client's connections at once and refuses its new ones until `restore()`; other
    clients (the test's producer and readers) go on.
    """

    def __init__(self, port: int, upstream_port: int) -> None:
        self.port = port
        self.upstream_port = upstream_port
        self.closed = 0  # connections of the cut client closed by cut()
        self.refused = 0  # connections of the cut client refused while cut
        self._cut: str | None = None
        self._links: set[tuple[str, asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for _, downstream, upstream in list(self._links):
            downstream.transport.abort()
            upstream.transport.abort()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def cut(self, client: str) -> None:
        self._cut = client
        for link in list(self._links):
            if link[0] == client:
                self.closed += 1
                link[1].transport.abort()  # abrupt, as a network failure: no data flushed
                link[2].transport.abort()

    def restore(self) -> None:
        self._cut = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            head = await reader.readexactly(14)
            length = int.from_bytes(head[12:14], "big", signed=True)
            name = await reader.readexactly(max(length, 0))
            upstream_reader, upstream = await asyncio.open_connection(
                "127.0.0.1", self.upstream_port
            )
        except (OSError, asyncio.IncompleteReadError):
            writer.transport.abort()
            return
        client = name.decode(errors="replace")
        if client == self._cut:
            self.refused += 1
            writer.transport.abort()
            upstream.transport.abort()
            return
        link = (client, writer, upstream)
        self._links.add(link)
        upstream.write(head + name)
        try:
            await asyncio.gather(_pipe(reader, upstream), _pipe(upstream_reader, writer))
        finally:
            self._links.discard(link)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until either side closes, then close the other (a broken link stays broken)."""
    with suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.transport.abort()


class MailCounter:
    """aiosmtpd handler: keeps (Message-ID, recipient, X-Dongseon-Stop) of each accepted mail."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        head = (envelope.original_content or envelope.content).split(b"\r\n\r\n", 1)[0]
        found = {k.decode().lower(): v.decode() for k, v in HEADER.findall(head)}
        stop = found.get("x-dongseon-stop", "?").split(";")[0]
        for rcpt in envelope.rcpt_tos:
            self.received.append((found.get("message-id", "?"), rcpt, stop))
        return "250 Message accepted for delivery"


def roster() -> list[CouncilMember]:
    return [
        CouncilMember(
            id=f"o-{i:03d}",
            name=f"의원{i}",
            email=f"o{i:03d}@council.example",
            district="노원구",
            committees=frozenset(),
            roles=frozenset(),
            caucus="가당",
        )
        for i in range(MEMBERS)
    ]


def briefing(index: int) -> Envelope[BriefingReady]:
    """A stop two hours ahead in every member's district: each member's notice goes at once."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2, minutes=index)
    stop = BriefedStop(
        stop_id=f"outage-{index:03d}",
        version=1,
        title=f"전통시장 민생 현장방문 {index}",
        purpose="상인 애로 청취",
        category="livelihood",
        place_name="공릉동 도깨비시장",
        district="노원구",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        public=True,
        important=False,
        requesting_department="경제정책실",
    )
    payload = BriefingReady(
        briefing_id=f"br-{index}",
        change=StopChangeKind.SCHEDULED,
        stop=stop,
        summary="요약",
        talking_points=[TalkingPoint(heading="방문 목적", text="민생 청취")],
        knowledge_base_version="kb-outage",
    )
    return BRIEFING_READY.envelope(payload, producer="test", correlation_id=f"outage-{index}")


async def publish(producer: KafkaBroker, envelopes: list[Envelope[BriefingReady]]) -> None:
    for envelope in envelopes:
        await producer.publish(
            envelope.model_dump_json().encode(),
            BRIEFINGS.name,
            key=BRIEFING_READY.partition_key(envelope).encode(),
        )


async def wait_for(
    predicate: Callable[[], Any], timeout: float, state: Callable[[], Any] = lambda: None
) -> None:
    """Poll (a sync or async predicate) until it holds; on timeout say what `state` was."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                result = predicate()
                if await result if asyncio.iscoroutine(result) else result:
                    return
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"gave up after {timeout} s; state: {state()}") from None


async def group_lag(servers: str) -> int:
    """Events on the briefings topic the notifier's group has not committed yet.

    Read with a consumer of the group that joins nothing (aiokafka's admin client cannot
    read Tansu's OffsetFetch answer).
    """
    reader = AIOKafkaConsumer(bootstrap_servers=servers, group_id=GROUP, enable_auto_commit=False)
    await reader.start()
    try:
        partitions = [TopicPartition(BRIEFINGS.name, p) for p in range(BRIEFINGS.partitions)]
        ends = await reader.end_offsets(partitions)
        return sum([end - (await reader.committed(tp) or 0) for tp, end in ends.items()])
    finally:
        await reader.stop()


def deliveries_by_stop(notifier: Notifier) -> Counter[str]:
    with notifier.uow() as uow:
        return Counter(d.stop_id for d in uow.repo.recent_deliveries(10_000))


def statuses(notifier: Notifier) -> Counter[str]:
    with notifier.uow() as uow:
        return Counter(str(d.status) for d in uow.repo.recent_deliveries(10_000))


def unpublished(notifier: Notifier) -> int:
    with notifier.uow() as uow:
        query = select(NotifierOutbox).where(col(NotifierOutbox.published_at).is_(None))
        return len(uow.session.exec(query).all())


async def test_a_broker_outage_mid_burst_loses_no_notice_and_sends_none_twice(
    tmp_path: Path, read_topic: Any
) -> None:
    link = KafkaLink(free_port(), free_port())
    await link.start()  # before Tansu: its readiness check already talks to the advertised port
    kafka = EmbeddedBroker(port=link.upstream_port, advertised_port=link.port)
    servers = await kafka.start()
    mails, smtp_port = MailCounter(), free_port()
    smtp = Controller(mails, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    settings = NotifierSettings(
        database_url=f"sqlite:///{tmp_path / 'notifier.db'}",
        data_dir=tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        **FAST,  # type: ignore[arg-type]
    )
    notifier = build_notifier(settings, servers)
    notifier.migrate()
    members = roster()
    handlers.load_roster(notifier.uow(), members, datetime.now(UTC))
    events = [briefing(i) for i in range(STOPS)]
    before, during = events[: STOPS // 2], events[STOPS // 2 :]
    producer = KafkaBroker(servers)  # its own client id: the cut does not touch it
    queued = notifier.notices_queued

    def queued_then_cut() -> None:
        """The outage strikes mid-burst, as the 4th event's notices are queued: mails and
        notice.sent events are in flight, the event's offset is not committed yet."""
        queued()
        if len(deliveries_by_stop(notifier)) == 4:
            link.cut(NOTIFIER_CLIENT)

    notifier.notices_queued = queued_then_cut  # type: ignore[method-assign]
    try:
        await notifier.start()
        await producer.start()
        await publish(producer, before)
        await wait_for(lambda: link.closed >= 1, 20, lambda: notifier.consumers)
        cut_at = time.monotonic()
        await publish(producer, during)
        # The link is really down: the notifier tried again and was refused, and the
        # mails it sent meanwhile have their notice.sent waiting in the outbox.
        await wait_for(
            lambda: link.refused >= 1 and unpublished(notifier) > 0,
            10,
            lambda: (vars(link), unpublished(notifier)),
        )
        await asyncio.sleep(max(0.0, OUTAGE - (time.monotonic() - cut_at)))
        consumed = set(deliveries_by_stop(notifier))
        assert not consumed & {e.payload.stop.stop_id for e in during}, consumed
        link.restore()

        expected = {(f"outage-{s:03d}", m.email) for s in range(STOPS) for m in members}
        await wait_for(
            lambda: {(stop, rcpt) for _, rcpt, stop in mails.received} >= expected,
            25,
            lambda: (len(mails.received), statuses(notifier)),
        )
        # Quiet again: every event committed, every notice sent, every notice.sent relayed.
        lag: list[int] = []

        async def caught_up() -> bool:
            lag.append(await group_lag(servers))
            return lag[-1] == 0

        await wait_for(caught_up, 15, lambda: (lag[-1:], notifier.consumers))
        await wait_for(
            lambda: (
                statuses(notifier) == Counter({"sent": STOPS * MEMBERS})
                and unpublished(notifier) == 0
            ),
            15,
            lambda: (statuses(notifier), unpublished(notifier)),
        )
        try:
            records = await read_topic(servers, NOTICES.name, at_least=STOPS * MEMBERS)
        except TimeoutError:
            raise AssertionError("notice.sent events missing on the notices topic") from None
        with notifier.uow() as uow:
            notices = {d.id: d for d in uow.repo.recent_deliveries(10_000)}
    finally:
        await producer.stop()
        await notifier.stop()
        smtp.stop()
        kafka.stop()
        await link.stop()

    # At the mail server: one mail per (stop, member), and per (Message-ID, recipient).
    assert Counter((stop, rcpt) for _, rcpt, stop in mails.received) == Counter(expected)
    by_message = Counter((message_id, rcpt) for message_id, rcpt, _ in mails.received)
    assert set(by_message) == {
        (f"<{d.id}@dongseon>", d.notice.to_address) for d in notices.values()
    }
    assert max(by_message.values()) == 1, "no mail twice"
    # On the topic: a notice.sent for every notice. The relay may publish an event again
    # when the outage ate the acknowledgement (consumers skip it by event id), but never a
    # second event for the same notice.
    sent = [json.loads(r.value) for r in records]
    sent = [body for body in sent if body["type"] == NOTICE_SENT.type]
    assert {body["payload"]["notice_id"] for body in sent} == set(notices)
    events_per_notice = Counter(
        notice for notice, _ in {(b["payload"]["notice_id"], b["id"]) for b in sent}
    )
    assert max(events_per_notice.values()) == 1, "one notice.sent event per notice"
