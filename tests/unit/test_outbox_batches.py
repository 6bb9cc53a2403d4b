"""The outbox relay hands a batch to the producer at once and marks only what the broker
acknowledged before the first failure; the rest goes again, in order.

A scripted publisher stands in for the producer here; the relay against a real broker
that goes down is tests/integration/test_outbox_relay.py.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import select

from schemas.events import ITINERARY_CONFIRMED, read_event
from schemas.scheduler import ItineraryConfirmed
from services.common.database import session_factory
from services.common.outbox import OutboxRelay, insert_staged, staged_row
from services.scheduler.adapters.orm import SchedulerOutbox


class ScriptedPublisher:
    """Acknowledges every send, except that the versions in `refuse` fail once."""

    def __init__(self, refuse: set[int]) -> None:
        self.refuse = refuse
        self.acknowledged: list[int] = []

    async def publish(self, body: bytes, **_: Any) -> asyncio.Future[None]:
        version = read_event(body.decode()).payload.plan_version
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if version in self.refuse:
            self.refuse.discard(version)
            future.set_exception(ConnectionError(f"broker refused {version}"))
        else:
            self.acknowledged.append(version)
            future.set_result(None)
        return future


def staged(versions: range) -> list[dict[str, Any]]:
    return [
        staged_row(
            ITINERARY_CONFIRMED,
            ITINERARY_CONFIRMED.envelope(
                ItineraryConfirmed(
                    itinerary_date=date(2026, 12, 1),
                    plan_version=v,
                    proposal_id="pr-1",
                    confirmed_by="tester",
                    changes=[],
                ),
                producer="test",
                correlation_id="c-1",
            ),
        )
        for v in versions
    ]


async def test_only_the_acknowledged_prefix_is_marked_and_the_rest_goes_again() -> None:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SchedulerOutbox.__table__.create(engine)  # type: ignore[attr-defined]
    sessions = session_factory(engine)
    with sessions() as session:
        insert_staged(session, SchedulerOutbox, staged(range(1, 6)))
        session.commit()
    publisher = ScriptedPublisher(refuse={3})
    key = (ITINERARY_CONFIRMED.type, ITINERARY_CONFIRMED.version)
    relay = OutboxRelay(None, sessions, SchedulerOutbox, {key: publisher})  # type: ignore[arg-type,dict-item]

    with pytest.raises(ConnectionError):
        await relay.publish_pending(batch=10)

    with sessions() as session:
        rows = list(session.exec(select(SchedulerOutbox).order_by(SchedulerOutbox.seq)))
    assert [r.published_at is not None for r in rows] == [True, True, False, False, False]
    assert rows[2].attempts == 1 and "broker refused 3" in (rows[2].last_error or "")

    assert await relay.publish_pending(batch=10) == 3
    assert publisher.acknowledged == [1, 2, 4, 5, 3, 4, 5], "4 and 5 again, after 3"
