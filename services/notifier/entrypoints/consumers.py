"""Event → handler table of the notifier."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import Any

from faststream.kafka import KafkaBroker

from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, ITINERARY_CONFIRMED, MEMBER_REQUEST_ANSWERED, EventKind
from schemas.topics import BRIEFINGS, ITINERARY, MEMBER_REQUESTS, Topic
from services.common.consumer import ConsumerStats, subscribe_events
from services.notifier import handlers, member_letters_handlers
from services.notifier.member_letters_handlers import MemberLetterPorts
from services.notifier.ports import NotifierPorts

GROUP = "notifier"


def register_consumers(
    broker: KafkaBroker, notifier: NotifierPorts, letters: MemberLetterPorts | None = None
) -> ConsumerStats:
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
                reminders=notifier.settings.reminder_policy(),
            )
        )
        if queued:
            notifier.notices_queued()

    async def member_request_answered(envelope: Envelope[Any]) -> None:
        assert letters is not None
        queued = await asyncio.to_thread(
            partial(
                member_letters_handlers.when_request_answered_queue_letter,
                letters.letters_uow(),
                envelope,
                contact=letters.settings.reply_to_email,
                now=datetime.now(UTC),
            )
        )
        if queued:
            letters.letters_queued()

    topics: list[Topic] = [ITINERARY, BRIEFINGS]
    table: dict[EventKind[Any], Any] = {
        ITINERARY_CONFIRMED: itinerary_confirmed,
        BRIEFING_READY: briefing_ready,
    }
    if letters is not None:  # members are told what became of their requests
        topics.append(MEMBER_REQUESTS)
        table[MEMBER_REQUEST_ANSWERED] = member_request_answered
    return subscribe_events(
        broker,
        topics=topics,
        group=GROUP,
        handlers=table,
        settings=notifier.settings,
        description="Keeps feeds current and queues advance notices to council members"
        + (", and letters telling them what became of their requests." if letters else "."),
    )
