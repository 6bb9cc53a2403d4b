"""Sends due members' letters in the background, with the notices' guarantees: claimed
with a lease (several notifier processes, each letter sent by one), marked sent only after
the mail server accepted it, retried with backoff, a final refusal failed at once.

Each outcome is recorded before the next letter is sent: a crash can repeat at most one
letter per process, and the repeat carries the same Message-ID.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from services.common.background import WakeableLoop
from services.notifier import member_letters_handlers as handlers
from services.notifier.dispatcher import claimant_id
from services.notifier.domain.deliveries import Backoff, DeliveryRefused, SendOutcome
from services.notifier.domain.member_letters import Letter

log = logging.getLogger(__name__)


class LetterSender(Protocol):
    async def send(self, letter: Letter) -> None:
        """Hand the letter to the mail server; raise if it did not take it."""
        ...


class MemberLetterDispatcher:
    def __init__(
        self,
        uow: Callable[[], handlers.LettersUnitOfWork],
        mailer: LetterSender,
        *,
        max_attempts: int,
        poll_seconds: float,
        backoff: Backoff,
        lease: timedelta,
        batch_size: int = 20,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._lease = lease
        self._batch_size = batch_size
        self.claimant = claimant_id()
        self._loop = WakeableLoop("member-letter-dispatcher", self.send_due, poll_seconds)

    def kick(self) -> None:
        self._loop.kick()

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def send_due(self) -> int:
        """Send every due letter not claimed elsewhere; return how many outcomes were recorded."""
        recorded = 0
        while True:
            claimed = await asyncio.to_thread(
                partial(
                    handlers.claim_due_letters,
                    self._uow(),
                    self.claimant,
                    _now(),
                    lease=self._lease,
                    limit=self._batch_size,
                )
            )
            for letter in claimed:
                if (
                    letter.lease_until is not None
                    and _now() >= letter.lease_until - self._lease / 2
                ):
                    continue  # too little lease left to send safely: the next round takes it
                outcome = await self._attempt(letter)
                recorded += await asyncio.to_thread(
                    partial(
                        handlers.record_letter_outcomes,
                        self._uow(),
                        [outcome],
                        max_attempts=self._max_attempts,
                        backoff=self._backoff,
                    )
                )
            if len(claimed) < self._batch_size:
                return recorded

    async def _attempt(self, letter: Letter) -> SendOutcome:
        try:
            await self._mailer.send(letter)
        except DeliveryRefused as refused:
            log.warning("letter %s refused for good: %s", letter.id, refused)
            return SendOutcome(letter.id, _now(), str(refused), permanent=True)
        except Exception as error:
            log.warning("letter %s failed, will retry: %r", letter.id, error)
            return SendOutcome(letter.id, _now(), repr(error))
        return SendOutcome(letter.id, _now())


def _now() -> datetime:
    return datetime.now(UTC)
