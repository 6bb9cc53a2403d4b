"""How many feed requests per second, with and without 304? (a 500-event feed)

The notifier's routes are served by uvicorn in a process of their own (SQLite, no broker);
500 stops are stored and told to one member. A client with 8 requests in flight asks for
the public feed and the member's feed, either plainly (200, the whole feed) or with the
ETag it got (304). The client is a lean keep-alive client on asyncio streams, Python too
and sharing the 2 cores, so the figures are a floor for the server. A second table asks
the same app in-process (httpx ASGITransport, one request at a time, no sockets, no
uvicorn): the app's own cost per request.

    nice -n 19 .venv/bin/python bench/feeds.py [--seconds 5] [--events 500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONCURRENCY = 8


def serve(port: int, database_url: str, data_dir: Path) -> None:
    """The notifier's HTTP routes alone (no broker, no dispatcher)."""
    import uvicorn
    from fastapi import FastAPI

    from services.common.http import install_error_handlers
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings

    notifier = build_notifier(
        NotifierSettings(database_url=database_url, data_dir=data_dir), "127.0.0.1:1"
    )
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(notifier.router)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


def prepare(database_url: str, data_dir: Path, events: int) -> str:
    """Store `events` stops, all told to member b-1; return that member's feed token."""
    from services.notifier import handlers
    from services.notifier.bootstrap import build_notifier
    from services.notifier.domain.recipients import CouncilMember
    from services.notifier.domain.stops import StopView
    from services.notifier.settings import NotifierSettings

    notifier = build_notifier(
        NotifierSettings(database_url=database_url, data_dir=data_dir), "127.0.0.1:1"
    )
    notifier.migrate()
    now = datetime.now(UTC).replace(microsecond=0)
    member = CouncilMember(
        id="b-1",
        name="의원1",
        email="b1@council.example",
        district="노원구",
        committees=frozenset(),
        roles=frozenset(),
        caucus="가당",
    )
    handlers.load_roster(notifier.uow(), [member], now)
    with notifier.uow() as uow:
        for i in range(events):
            starts = now + timedelta(days=1 + i // 6, hours=i % 6)
            stop = StopView(
                stop_id=f"s-{i:04d}",
                version=1,
                title=f"전통시장 민생 현장방문 {i}",
                purpose="상인 애로 청취 및 물가 점검",
                category="livelihood",
                policy_area=None,
                place_name="공릉동 도깨비시장",
                district="노원구",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=50),
                public=True,
                important=False,
                change="scheduled",
            )
            uow.repo.save_stop_if_newer(stop, now)
            uow.repo.add_audience(stop.stop_id, ["b-1"])
        uow.commit()
    token = handlers.feed_token(notifier.uow(), "b-1", now)
    notifier.engine.dispose()
    return token


async def hammer(url: str, seconds: float, conditional: bool) -> tuple[float, int, int]:
    """Requests per second over CONCURRENCY keep-alive connections.

    The client is a few lines on asyncio streams (HTTP/1.1, Content-Length bodies) rather than
    httpx: httpx spends about 1 ms of CPU per request on this machine, which on 2 shared cores
    measured the client, not the server (500–600/s either way, 304 or 200).
    """
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    first = await _get(host, port, target, {})
    etag = first.headers["etag"]
    extra = {"If-None-Match": etag} if conditional else {}
    expected = 304 if conditional else 200
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, port)
        request = _request(host, target, extra)
        try:
            while time.perf_counter() < deadline:
                writer.write(request)
                status, _ = await _read_response(reader)
                assert status == expected, status
                done += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - started), len(first.body), done


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _request(host: str, target: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, _Answer]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    status = int(status_line.split()[1])
    return status, _Answer(status, headers, body)


async def _get(host: str, port: int, target: str, headers: dict[str, str]) -> _Answer:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(_request(host, target, headers))
        status, answer = await _read_response(reader)
        assert status == 200, status
        return answer
    finally:
        writer.close()


async def in_process(
    database_url: str, data_dir: Path, token: str, seconds: float
) -> list[tuple[str, str, float]]:
    import httpx
    from fastapi import FastAPI

    from services.common.http import install_error_handlers
    from services.notifier.bootstrap import build_notifier
    from services.notifier.settings import NotifierSettings

    notifier = build_notifier(
        NotifierSettings(database_url=database_url, data_dir=data_dir), "127.0.0.1:1"
    )
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(notifier.router)
    rows = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        for name, url in (
            ("public", "/feeds/public.ics"),
            ("member", f"/feeds/members/b-1.ics?token={token}"),
        ):
            first = await client.get(url)
            for conditional in (False, True):
                headers = {"If-None-Match": first.headers["ETag"]} if conditional else {}
                done, started = 0, time.perf_counter()
                while time.perf_counter() - started < seconds:
                    await client.get(url, headers=headers)
                    done += 1
                rows.append(
                    (name, "304" if conditional else "200", done / (time.perf_counter() - started))
                )
    notifier.engine.dispose()
    return rows


def main(args: argparse.Namespace) -> None:
    from services.common.embedded_broker import free_port

    scratch = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    database_url = f"sqlite:///{scratch / 'notifier.db'}"
    token = prepare(database_url, scratch, args.events)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), database_url, str(scratch)]
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        feeds = {
            "public": f"{base}/feeds/public.ics",
            "member": f"{base}/feeds/members/b-1.ics?token={token}",
        }
        rows = []
        for name, url in feeds.items():
            for conditional in (False, True):
                rate, size, count = asyncio.run(hammer(url, args.seconds, conditional))
                rows.append((name, "304" if conditional else "200", size, count, rate))
    finally:
        server.terminate()
        server.wait()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"| feed ({args.events} events) | answer | feed bytes | requests | requests/s |")
    print("|---|---|---|---|---|")
    for name, status, size, count, rate in rows:
        print(f"| {name} | {status} | {size:,} | {count} | {rate:.0f} |")
    print()
    print("| in-process (ASGI, sequential) | answer | requests/s |")
    print("|---|---|---|")
    for name, status, rate in asyncio.run(in_process(database_url, scratch, token, args.seconds)):
        print(f"| {name} | {status} | {rate:.0f} |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--events", type=int, default=500)
    main(parser.parse_args())
