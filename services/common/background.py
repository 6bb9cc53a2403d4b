"""A background task that works when woken or every few seconds, and backs off on errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


class WakeableLoop:
    """Runs `work` in a loop: at once when kicked, else every `poll_seconds`.

    A failing round is logged and retried with exponential backoff (up to `max_backoff`);
    the loop itself never dies of an error, only of `stop()`.
    """

    def __init__(
        self,
        name: str,
        work: Callable[[], Awaitable[Any]],
        poll_seconds: float,
        max_backoff: float = 30.0,
    ) -> None:
        self.name = name
        self._work = work
        self._poll_seconds = poll_seconds
        self._max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def kick(self) -> None:
        """Work soon: something was just written for it."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        delay = self._poll_seconds
        while True:
            self._wake.clear()
            try:
                await self._work()
                delay = self._poll_seconds
            except Exception:
                log.exception("%s failed; retrying in %.1fs", self.name, delay)
                delay = min(delay * 2, self._max_backoff)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            except TimeoutError:
                pass
