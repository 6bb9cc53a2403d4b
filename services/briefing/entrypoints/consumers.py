"""Event → handler table of the briefing service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import Any

from faststream.kafka import KafkaBroker

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED
from schemas.topics import ITINERARY
from services.briefing import handlers
from services.briefing.ports import BriefingPorts
from services.common.consumer import ConsumerStats, subscribe_events

GROUP = "briefing"


def register_consumers(broker: KafkaBroker, ports: BriefingPorts) -> ConsumerStats:
    async def itinerary_confirmed(envelope: Envelope[Any]) -> None:
        built = await asyncio.to_thread(
            partial(
                handlers.when_itinerary_confirmed_build_briefings,
                ports.uow(),
                envelope,
                now=datetime.now(UTC),
                records=ports.record_source,
                council=ports.council,
            )
        )
        if built:
            ports.events_staged()

    return subscribe_events(
        broker,
        topics=[ITINERARY],
        group=GROUP,
        handlers={ITINERARY_CONFIRMED: itinerary_confirmed},
        settings=ports.settings,
        description="Builds cited talking points for every changed stop.",
    )
