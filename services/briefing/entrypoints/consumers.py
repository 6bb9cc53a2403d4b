"""Event → handler table of the briefing service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from schemas.envelope import Envelope
from schemas.topics import ITINERARY
from services.briefing import handlers
from services.common.consumer import subscribe_events

if TYPE_CHECKING:
    from services.briefing.bootstrap import BriefingService

GROUP = "briefing"


def register_consumers(service: BriefingService) -> None:
    async def itinerary_confirmed(envelope: Envelope[Any]) -> None:
        built = await asyncio.to_thread(
            partial(
                handlers.when_itinerary_confirmed_build_briefings,
                service.uow(),
                envelope,
                knowledge=service.knowledge,
                now=datetime.now(UTC),
            )
        )
        if built:
            service.relay.kick()

    subscribe_events(
        service.broker,
        topics=[ITINERARY],
        group=GROUP,
        handlers={"itinerary.confirmed": itinerary_confirmed},
        max_attempts=service.settings.consumer_max_attempts,
        description="Builds cited talking points for every changed stop.",
    )
