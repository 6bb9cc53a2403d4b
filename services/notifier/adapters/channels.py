"""Sends each notice on the channels its member chose: e-mail, webhook, or both.

Wraps the mail sender so the dispatcher keeps one `Mailer`. Preferences are read as one
snapshot, refreshed at most every `refresh_seconds`, so a burst costs no query per notice.
When both channels are chosen the webhook goes first; if the e-mail then fails, the retry
posts the webhook again with the same notice id (`X-Dongseon-Notice`) for the receiver to drop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from services.notifier.adapters.webhook import WebhookSender
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.digests import Digest
from services.notifier.domain.preferences import Channel, Preferences
from services.notifier.ports import Mailer


class ChannelRouter:
    """A Mailer that honours each member's channels."""

    def __init__(
        self,
        mailer: Mailer,
        webhook: WebhookSender,
        load_preferences: Callable[[], dict[str, Preferences]],
        refresh_seconds: float = 5.0,
    ) -> None:
        self.mailer = mailer
        self.webhook = webhook
        self._load = load_preferences
        self._refresh_seconds = refresh_seconds
        self._snapshot: dict[str, Preferences] = {}
        self._loaded_at: float | None = None

    async def preferences(self, member_id: str) -> Preferences | None:
        now = time.monotonic()
        if self._loaded_at is None or now - self._loaded_at >= self._refresh_seconds:
            self._snapshot = await asyncio.to_thread(self._load)
            self._loaded_at = now
        return self._snapshot.get(member_id)

    async def send(self, delivery: Delivery) -> None:
        prefs = await self.preferences(delivery.member_id)
        await self._webhook(prefs, [delivery])
        if _wants_email(prefs):
            await self.mailer.send(delivery)

    async def send_digest(self, digest: Digest) -> None:
        """The digest as one e-mail; a webhook still gets each notice of it on its own."""
        prefs = await self.preferences(digest.member_id)
        await self._webhook(prefs, digest.deliveries)
        if _wants_email(prefs):
            await self.mailer.send_digest(digest)

    async def _webhook(self, prefs: Preferences | None, deliveries: Sequence[Delivery]) -> None:
        if (
            prefs
            and Channel.WEBHOOK in prefs.channels
            and prefs.webhook_url
            and prefs.webhook_secret
        ):
            for delivery in deliveries:
                await self.webhook.send(delivery, prefs.webhook_url, prefs.webhook_secret)


def _wants_email(prefs: Preferences | None) -> bool:
    return prefs is None or Channel.EMAIL in prefs.channels
