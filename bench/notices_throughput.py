"""How many notices per second reach the mail server, and how late? (one and two notifiers)

A burst of `briefing.ready` events (stops 2 hours ahead, so inside every lead time: sent at
once) is published to a real embedded Tansu broker; one or two `dongseon notifier`
processes (one consumer group, one database) queue the notices and send them to an
aiosmtpd server running in a process of its own, which notes when each Message-ID
arrived. Latency is arrival minus the moment the burst was published; throughput is
notices over the time from publishing to the last arrival.

    nice -n 19 .venv/bin/python bench/notices_throughput.py [--stops 40 --members 50]
        [--processes 1 2] [--database-url postgresql+psycopg://...]

The notifier's database is a fresh SQLite file unless --database-url is given.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]+>)", re.MULTILINE | re.IGNORECASE)


def run_sink(port: int, out: Path) -> None:
    """The SMTP server: accept everything, append `Message-ID <tab> arrival` per mail."""
    from aiosmtpd.controller import Controller

    log = out.open("a", buffering=1)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            log.write(f"{found.group(1).decode() if found else '?'}\t{time.time()}\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


def roster(members: int) -> list[Any]:
    from services.notifier.domain.recipients import CouncilMember

    return [
        CouncilMember(
            id=f"b-{i:04d}",
            name=f"의원{i}",
            email=f"b{i:04d}@council.example",
            district="노원구",
            committees=frozenset(),
            roles=frozenset(),
            caucus="가당",
        )
        for i in range(members)
    ]


def briefings(stops: int) -> list[Any]:
    from schemas.briefing import BriefedStop, BriefingReady, TalkingPoint
    from schemas.events import BRIEFING_READY
    from schemas.vocabulary import StopChangeKind

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    envelopes = []
    for i in range(stops):
        stop = BriefedStop(
            stop_id=f"bench-{uuid.uuid4().hex[:8]}",
            version=1,
            title=f"전통시장 민생 현장방문 {i}",
            purpose="상인 애로 청취",
            category="livelihood",
            place_name="공릉동 도깨비시장",
            district="노원구",
            starts_at=starts + timedelta(minutes=i),
            ends_at=starts + timedelta(minutes=i + 30),
            public=True,
            important=False,
            requesting_department="경제정책실",
        )
        payload = BriefingReady(
            briefing_id=f"br-{i}",
            change=StopChangeKind.SCHEDULED,
            stop=stop,
            summary="요약",
            talking_points=[TalkingPoint(heading="방문 목적", text="민생 청취")],
            knowledge_base_version="kb-bench",
        )
        envelopes.append(
            BRIEFING_READY.envelope(payload, producer="bench", correlation_id=f"bench-{i}")
        )
    return envelopes


def spawn(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def wait_http(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU a process has used so far (Linux /proc), to see where time goes."""
    if pid is None:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def arrivals(path: Path) -> dict[str, float]:
    seen: dict[str, float] = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        message_id, at = line.split("\t")
        seen.setdefault(message_id, float(at))
    return seen


async def burst(
    servers: str, processes: int, stops: int, members: int, url: str | None, broker_pid: int | None
) -> dict[str, Any]:
    from faststream.kafka import KafkaBroker

    from schemas.topics import BRIEFINGS
    from services.common.embedded_broker import free_port
    from services.notifier import handlers
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings

    scratch = Path(tempfile.mkdtemp(prefix="notices-bench-"))
    database_url = url or f"sqlite:///{scratch / 'notifier.db'}"
    local = build_notifier(NotifierSettings(database_url=database_url, data_dir=scratch), servers)
    local.migrate()
    handlers.load_roster(local.uow(), roster(members), datetime.now(UTC))

    smtp_port, log = free_port(), scratch / "arrivals.tsv"
    sink = spawn([sys.executable, __file__, "--sink", str(smtp_port), str(log)])
    env = os.environ | {
        "KAFKA_BOOTSTRAP_SERVERS": servers,
        "DATABASE_URL": database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "KAFKA_SESSION_TIMEOUT_MS": "1000",
        "KAFKA_HEARTBEAT_INTERVAL_MS": "250",
        "NOTIFIER_DISPATCH_POLL_SECONDS": "0.2",
        "DONGSEON_LOG_LEVEL": "WARNING",
    }
    ports = [free_port() for _ in range(processes)]
    notifiers = [
        spawn([sys.executable, "-m", "services.cli.main", "notifier", "--port", str(port)], env)
        for port in ports
    ]
    try:
        for port in ports:
            wait_http(port)
        await asyncio.sleep(3)  # the consumer group settles (a second or two on Tansu)
        cpu_before = [cpu_seconds(p.pid) for p in (*notifiers, sink)] + [cpu_seconds(broker_pid)]
        producer = KafkaBroker(servers)
        await producer.start()
        envelopes = briefings(stops)
        started = time.time()
        for envelope in envelopes:
            await producer.publish(
                envelope.model_dump_json().encode(),
                BRIEFINGS.name,
                key=envelope.payload.stop.stop_id.encode(),
            )
        await producer.stop()
        expected = stops * members
        deadline = time.monotonic() + 300
        while len(arrivals(log)) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        cpu_after = [cpu_seconds(p.pid) for p in (*notifiers, sink)] + [cpu_seconds(broker_pid)]
    finally:
        for process in notifiers:
            process.terminate()
            process.wait()
        sink.terminate()
        sink.wait()
        local.engine.dispose()
    seen = arrivals(log)
    latencies = sorted(at - started for at in seen.values())
    copies = len(log.read_text().splitlines()) - len(seen)
    elapsed = max(latencies) if latencies else float("nan")
    return {
        "processes": processes,
        "notices": len(seen),
        "expected": stops * members,
        "duplicates": copies,
        "seconds": elapsed,
        "per_second": len(seen) / elapsed if latencies else 0.0,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        # CPU seconds used during the burst: the notifiers together, the SMTP sink, the broker
        "cpu": (
            sum(a - b for a, b in zip(cpu_after[:-2], cpu_before[:-2], strict=True)),
            cpu_after[-2] - cpu_before[-2],
            cpu_after[-1] - cpu_before[-1],
        ),
    }


async def main(args: argparse.Namespace) -> None:
    from services.common.embedded_broker import EmbeddedBroker
    from services.common.topics import ensure_topics

    rows = []
    for processes in args.processes:
        broker = EmbeddedBroker()
        await broker.start()
        try:
            await ensure_topics(broker.bootstrap_servers)
            rows.append(
                await burst(
                    broker.bootstrap_servers,
                    processes,
                    args.stops,
                    args.members,
                    args.database_url,
                    broker.pid,
                )
            )
        finally:
            broker.stop()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        "| notifier processes | notices (expected) | copies | s | notices/s | p50 s | p99 s "
        "| CPU ms/notice: notifiers / SMTP sink / broker |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        per = " / ".join(f"{1000 * c / max(r['notices'], 1):.2f}" for c in r["cpu"])
        print(
            f"| {r['processes']} | {r['notices']} ({r['expected']}) | {r['duplicates']} "
            f"| {r['seconds']:.1f} | {r['per_second']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} "
            f"| {per} |"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]), Path(sys.argv[3]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=40)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
