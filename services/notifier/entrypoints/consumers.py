"""Event → handler table of the notifier."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from schemas.envelope import Envelope
from schemas.topics import BRIEFINGS, ITINERARY
from services.common.consumer import subscribe_events
from services.notifier import handlers

if TYPE_CHECKING:
    from services.notifier.bootstrap import Notifier

GROUP = "notifier"


def register_consumers(notifier: Notifier) -> None:
    async def itinerary_confirmed(envelope: Envelope[Any]) -> None:
        await asyncio.to_thread(
            handlers.when_itinerary_confirmed_update_feeds, notifier.uow(), envelope
        )

    async def briefing_ready(envelope: Envelope[Any]) -> None:
        queued = await asyncio.to_thread(
            partial(
                handlers.when_briefing_ready_queue_notices,
                notifier.uow(),
                envelope,
                organizer_email=notifier.settings.sender_email,
                now=datetime.now(UTC),
            )
        )
        if queued:
            notifier.dispatcher.kick()

    subscribe_events(
        notifier.broker,
        topics=[ITINERARY, BRIEFINGS],
        group=GROUP,
        handlers={"itinerary.confirmed": itinerary_confirmed, "briefing.ready": briefing_ready},
        max_attempts=notifier.settings.consumer_max_attempts,
        description="Keeps feeds current and queues advance notices to council members.",
    )
