"""Sends queued notices in the background; a failure is retried, never lost or doubled.

A notice is marked sent only after the mail server accepted it. A crash between the two
resends it once; the fixed Message-ID lets mail systems recognise the duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from services.common.background import WakeableLoop
from services.notifier import handlers
from services.notifier.ports import Mailer, NotifierUnitOfWork, Wakeable

log = logging.getLogger(__name__)


class NoticeDispatcher:
    """Background sender; `relay` is woken when notice events were staged."""

    def __init__(
        self,
        uow: Callable[[], NotifierUnitOfWork],
        mailer: Mailer,
        relay: Wakeable,
        *,
        max_attempts: int,
        poll_seconds: float,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._relay = relay
        self._max_attempts = max_attempts
        self._loop = WakeableLoop("notice-dispatcher", self.send_due, poll_seconds)

    def kick(self) -> None:
        self._loop.kick()

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def send_due(self) -> int:
        """Send every notice that is due now; return how many went out."""
        sent = 0
        due = await asyncio.to_thread(partial(handlers.due_notices, self._uow(), datetime.now(UTC)))
        for delivery in due:
            try:
                await self._mailer.send(delivery)
            except Exception as error:
                log.warning("notice %s to %s failed: %r", delivery.id, delivery.to_address, error)
                await asyncio.to_thread(
                    partial(
                        handlers.record_notice_failed,
                        self._uow(),
                        delivery.id,
                        repr(error),
                        now=datetime.now(UTC),
                        max_attempts=self._max_attempts,
                    )
                )
                continue
            await asyncio.to_thread(
                partial(
                    handlers.record_notice_sent, self._uow(), delivery.id, now=datetime.now(UTC)
                )
            )
            sent += 1
        if due:
            self._relay.kick()
        return sent
