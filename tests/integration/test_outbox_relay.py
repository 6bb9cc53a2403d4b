"""The outbox keeps an event while the broker is down and publishes it once it is back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlmodel import select

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED, read_event
from schemas.scheduler import ItineraryConfirmed
from schemas.topics import ITINERARY
from services.common.embedded_broker import EmbeddedBroker
from services.scheduler.adapters.orm import SchedulerOutbox
from services.scheduler.bootstrap import Scheduler, build_scheduler
from services.scheduler.settings import SchedulerSettings


def stage(scheduler: Scheduler, envelope: Envelope[ItineraryConfirmed]) -> None:
    with scheduler.uow() as uow:
        uow.publish(ITINERARY_CONFIRMED, envelope)
        uow.commit()


def outbox_rows(scheduler) -> list[SchedulerOutbox]:  # type: ignore[no-untyped-def]
    with scheduler.uow() as uow:
        return list(uow.session.exec(select(SchedulerOutbox).order_by(SchedulerOutbox.seq)))


async def test_events_wait_in_the_outbox_while_the_broker_is_down(
    tmp_path: Path,
    confirmed_envelope: Callable[[int], Envelope[ItineraryConfirmed]],
    read_topic: Callable[..., Awaitable[list[Any]]],
) -> None:
    broker = EmbeddedBroker()
    servers = await broker.start()
    scheduler = build_scheduler(
        SchedulerSettings(data_dir=tmp_path, kafka_request_timeout_ms=2000), servers
    )
    scheduler.migrate()
    await scheduler.broker.start()
    try:
        stage(scheduler, confirmed_envelope(1))
        assert await scheduler.relay.publish_pending() == 1

        broker.stop()
        stage(scheduler, confirmed_envelope(2))
        stage(scheduler, confirmed_envelope(3))
        try:
            await scheduler.relay.publish_pending()
        except Exception:
            pass
        else:
            raise AssertionError("publishing to a stopped broker must fail")
        rows = outbox_rows(scheduler)
        assert [r.published_at is None for r in rows] == [False, True, True]
        assert rows[1].attempts >= 1 and rows[1].last_error

        # Tansu keeps nothing on disk: the restarted broker has fresh, empty topics.
        broker = EmbeddedBroker(port=broker.port)
        await broker.start()
        async with asyncio.timeout(60):
            while True:
                try:
                    if await scheduler.relay.publish_pending() >= 0 and all(
                        r.published_at for r in outbox_rows(scheduler)
                    ):
                        break
                except Exception:
                    await asyncio.sleep(0.5)
        records = await read_topic(servers, ITINERARY.name, at_least=2)
        versions = [read_event(r.value).payload.plan_version for r in records]
        assert versions == [2, 3], "in order, none lost"
        assert {r.key for r in records} == {b"seoul/2026-12-01"}, "keyed by office and date"
    finally:
        await scheduler.broker.stop()
        scheduler.engine.dispose()
        broker.stop()
