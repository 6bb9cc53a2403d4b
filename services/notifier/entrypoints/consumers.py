"""Event → handler table of the notifier."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import Any

from faststream.kafka import KafkaBroker

from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED
from schemas.topics import BRIEFINGS, ITINERARY
from services.common.consumer import ConsumerStats, subscribe_events
from services.notifier import handlers
from services.notifier.ports import NotifierPorts

GROUP = "notifier"


def register_consumers(broker: KafkaBroker, notifier: NotifierPorts) -> ConsumerStats:
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
                rules=notifier.settings.rule_set(),
                letterhead=notifier.settings.letterhead(),
            )
        )
        if queued:
            notifier.notices_queued()

    return subscribe_events(
        broker,
        topics=[ITINERARY, BRIEFINGS],
        group=GROUP,
        handlers={ITINERARY_CONFIRMED: itinerary_confirmed, BRIEFING_READY: briefing_ready},
        settings=notifier.settings,
        description="Keeps feeds current and queues advance notices to council members.",
    )
