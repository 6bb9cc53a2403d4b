"""Shared fixtures: real databases (SQLite, PostgreSQL), a real broker, a real SMTP server."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from sqlalchemy import create_engine, text

from services.common.embedded_broker import EmbeddedBroker, free_port
from services.common.smtp_sink import SmtpSink

POSTGRES_URL = os.environ.get(
    "DONGSEON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("DONGSEON_REQUIRE_POSTGRES") == "1"
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DONGSEON_SHARED_DIR", ROOT.parent / "shared"))

# Every test group has one member on a local broker: Tansu forms a group in about half
# the session timeout (5 s at the default 10 s, 1 s at 1 s), so the tests use a short one.
os.environ.setdefault("KAFKA_SESSION_TIMEOUT_MS", "1000")
os.environ.setdefault("KAFKA_HEARTBEAT_INTERVAL_MS", "250")


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:
        return f"{error.__class__.__name__}: {str(error).splitlines()[0]}"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The office's shared material beside the checkout (`../shared`): seed reports, benchmarks.

    A test that needs it fails when it is missing, so a broken checkout cannot pass quietly.
    """
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the project expects ../shared beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def postgres_available() -> str:
    problem = _postgres_problem()
    if problem:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({problem})"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " and DONGSEON_REQUIRE_POSTGRES=1 demands it")
        pytest.skip("SKIPPING POSTGRESQL TESTS: " + message)
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_available: str) -> Iterator[str]:
    """A fresh schema per test, selected through search_path, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_available)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_available else "?"
    yield f"{postgres_available}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every database test runs on both SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def kafka() -> AsyncIterator[str]:
    """A Tansu broker of this test's own (memory-only, so tests cannot see each other)."""
    broker = EmbeddedBroker()
    await broker.start()
    yield broker.bootstrap_servers
    broker.stop()


TopicReader = Callable[..., Awaitable[list[ConsumerRecord[bytes, bytes]]]]


async def _read_topic(
    servers: str, topic: str, *, at_least: int = 0, timeout: float = 20.0, settle: float = 0.3
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of `topic` from the start, read without a group (nothing to join).

    Waits until `at_least` records are there, then reads for `settle` seconds more so that
    a record that should not be there has its chance to show up.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, auto_offset_reset="earliest")
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        await consumer.topics()  # fetches the metadata partitions_for_topic reads
        partitions = consumer.partitions_for_topic(topic) or {0}
        consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
        await consumer.seek_to_beginning()
        async with asyncio.timeout(timeout):
            while len(records) < at_least:
                for batch in (await consumer.getmany(timeout_ms=200)).values():
                    records.extend(batch)
        for batch in (await consumer.getmany(timeout_ms=int(settle * 1000))).values():
            records.extend(batch)
    finally:
        await consumer.stop()
    return records


@pytest.fixture
def read_topic() -> TopicReader:
    """Read a topic from its start without a consumer group."""
    return _read_topic


@pytest.fixture
def smtp_sink(tmp_path: Path) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) writing what it receives to a Maildir."""
    sink = SmtpSink(tmp_path / "mail", "127.0.0.1", free_port())
    sink.start()
    yield sink
    sink.stop()
