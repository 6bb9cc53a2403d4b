"""Sends due notices in the background: claimed with a lease, so several notifier processes
can run at once and each notice goes out once; failures are retried with backoff.

A notice is marked sent only after the mail server accepted it. What can still produce a
second copy: a crash (or lost database) after the server's acceptance and before the
outcome is recorded; the next dispatcher sends it again once the lease has run out, with
the same Message-ID, so mail clients recognise the copy. Outcomes are recorded in groups
of `record_every`, and no send starts while that many outcomes wait to be recorded: a
crash can repeat at most `record_every` notices per notifier process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from services.common.background import WakeableLoop
from services.notifier import handlers
from services.notifier.domain.deliveries import (
    DEFAULT_BACKOFF,
    Backoff,
    Delivery,
    DeliveryRefused,
    SendOutcome,
)
from services.notifier.ports import Mailer, NotifierUnitOfWork, Wakeable

log = logging.getLogger(__name__)


def claimant_id() -> str:
    """Names this dispatcher in its claims: host, process, and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class NoticeDispatcher:
    """Background sender; `relay` is woken when notice events were staged.

    Each round claims up to `batch_size` due notices until now + `lease`, sends them over
    at most `concurrency` connections, and records outcomes every `record_every` sends;
    at most `record_every` notices are ever sent but not yet recorded.
    A notice whose lease is more than half gone is not started (the lease must outlast the
    send); its claim runs out and the next round, here or elsewhere, takes it.
    """

    def __init__(
        self,
        uow: Callable[[], NotifierUnitOfWork],
        mailer: Mailer,
        relay: Wakeable,
        *,
        max_attempts: int,
        poll_seconds: float,
        backoff: Backoff = DEFAULT_BACKOFF,
        lease: timedelta = timedelta(seconds=60),
        batch_size: int = 100,
        concurrency: int = 4,
        record_every: int = 20,
        claimant: str | None = None,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._relay = relay
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._lease = lease
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._record_every = max(record_every, 1)
        self.claimant = claimant or claimant_id()
        self._loop = WakeableLoop("notice-dispatcher", self.send_due, poll_seconds)

    def kick(self) -> None:
        self._loop.kick()

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def send_due(self) -> int:
        """Send every notice that is due now and not claimed elsewhere; return how many went out."""
        sent = 0
        while True:
            claimed = await asyncio.to_thread(
                partial(
                    handlers.claim_due_notices,
                    self._uow(),
                    self.claimant,
                    _now(),
                    lease=self._lease,
                    limit=self._batch_size,
                )
            )
            if not claimed:
                return sent
            sent += await self._send_claimed(claimed)
            if len(claimed) < self._batch_size:
                return sent

    async def _send_claimed(self, claimed: list[Delivery]) -> int:
        pending: list[SendOutcome] = []
        recorded = 0
        record_lock = asyncio.Lock()
        slots = asyncio.Semaphore(self._concurrency)
        unrecorded = asyncio.Semaphore(self._record_every)  # held from send to record

        async def flush(at_least: int) -> None:
            nonlocal recorded
            async with record_lock:
                if len(pending) < max(at_least, 1):
                    return
                batch = pending[:]
                pending.clear()
                recorded += await asyncio.to_thread(
                    partial(
                        handlers.record_outcomes,
                        self._uow(),
                        batch,
                        max_attempts=self._max_attempts,
                        backoff=self._backoff,
                    )
                )
                for _ in batch:
                    unrecorded.release()
                self._relay.kick()

        async def send_one(delivery: Delivery) -> None:
            await unrecorded.acquire()
            async with slots:
                if not self._lease_allows_sending(delivery):
                    unrecorded.release()
                    return
                outcome = await self._attempt(delivery)
            pending.append(outcome)
            await flush(self._record_every)

        await asyncio.gather(*(send_one(delivery) for delivery in claimed))
        await flush(1)
        return recorded

    def _lease_allows_sending(self, delivery: Delivery) -> bool:
        if delivery.lease_until is None:
            return True
        return _now() < delivery.lease_until - self._lease / 2

    async def _attempt(self, delivery: Delivery) -> SendOutcome:
        try:
            await self._mailer.send(delivery)
        except DeliveryRefused as refused:
            log.warning("notice %s refused for good: %s", delivery.id, refused)
            return SendOutcome(delivery.id, _now(), str(refused), permanent=True)
        except Exception as error:
            log.warning("notice %s failed, will retry: %r", delivery.id, error)
            return SendOutcome(delivery.id, _now(), repr(error))
        return SendOutcome(delivery.id, _now())


def _now() -> datetime:
    return datetime.now(UTC)
