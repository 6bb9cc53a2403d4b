"""Sends due notices in the background: claimed with a lease, so several notifier processes
can run at once and each notice goes out once; failures are retried with backoff.

A notice is marked sent only after the mail server accepted it. What can still produce a
second copy: a crash (or lost database) after the server's acceptance and before the
outcome is recorded; the next dispatcher sends it again once the lease has run out, with
the same Message-ID, so mail clients recognise the copy. Outcomes are recorded in groups
of `record_every`, and no send starts while that many outcomes wait to be recorded: a
crash can repeat at most `record_every` messages per notifier process.

A member's notices held for the same daily digest are claimed together and go out as one
message (`domain/digests.py`); each is marked sent, and announced, only once the server has
accepted that message, and its Message-ID, derived from the set of notices, repeats on a
resend.
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
from services.notifier.domain.digests import compose_digest, sending_units
from services.notifier.ports import Mailer, NotifierUnitOfWork, Wakeable

log = logging.getLogger(__name__)


def claimant_id() -> str:
    """Names this dispatcher in its claims: host, process, and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class NoticeDispatcher:
    """Background sender; `relay` is woken when notice events were staged.

    Each round claims up to `batch_size` due notices (and the rest of any digest group it
    touches) until now + `lease`, sends them over at most `concurrency` connections, and
    records outcomes every `record_every` messages; at most `record_every` messages (a
    digest counts once) are ever sent but not yet recorded.
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
        """Send every notice that is due now and not claimed elsewhere; return how many went out.

        While a full batch is being sent the next one is already claimed, so the mail
        connections do not wait for the database between batches.
        """
        sent = 0
        claimed = await self._claim()
        while claimed:
            following = (
                asyncio.create_task(self._claim()) if len(claimed) >= self._batch_size else None
            )
            try:
                sent += await self._send_claimed(claimed)
            except BaseException:
                if following is not None:
                    following.cancel()  # its rows, if claimed, are taken when the lease ends
                raise
            claimed = await following if following is not None else []
        return sent

    async def _claim(self) -> list[Delivery]:
        return await asyncio.to_thread(
            partial(
                handlers.claim_due_notices,
                self._uow(),
                self.claimant,
                _now(),
                lease=self._lease,
                limit=self._batch_size,
            )
        )

    async def _send_claimed(self, claimed: list[Delivery]) -> int:
        pending: list[list[SendOutcome]] = []  # per message, its notices' outcomes
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
                        [outcome for message in batch for outcome in message],
                        max_attempts=self._max_attempts,
                        backoff=self._backoff,
                    )
                )
                for _ in batch:
                    unrecorded.release()
                self._relay.kick()

        async def send_one(unit: list[Delivery]) -> None:
            await unrecorded.acquire()
            async with slots:
                if not self._lease_allows_sending(unit):
                    unrecorded.release()
                    return
                outcomes = await self._attempt(unit)
            pending.append(outcomes)
            await flush(self._record_every)

        await asyncio.gather(*(send_one(unit) for unit in sending_units(claimed)))
        await flush(1)
        return recorded

    def _lease_allows_sending(self, unit: list[Delivery]) -> bool:
        leases = [d.lease_until for d in unit if d.lease_until is not None]
        return not leases or _now() < min(leases) - self._lease / 2

    async def _attempt(self, unit: list[Delivery]) -> list[SendOutcome]:
        """Send one message (a notice, or a digest of several); one outcome per notice."""
        ids = [d.id for d in unit]
        try:
            if len(unit) == 1:
                await self._mailer.send(unit[0])
            else:
                await self._mailer.send_digest(compose_digest(unit))
        except DeliveryRefused as refused:
            log.warning("notice(s) %s refused for good: %s", ids, refused)
            return [SendOutcome(i, _now(), str(refused), permanent=True) for i in ids]
        except Exception as error:
            log.warning("notice(s) %s failed, will retry: %r", ids, error)
            return [SendOutcome(i, _now(), repr(error)) for i in ids]
        at = _now()
        return [SendOutcome(i, at) for i in ids]


def _now() -> datetime:
    return datetime.now(UTC)
