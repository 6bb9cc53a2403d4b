"""Factories shared by the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED
from schemas.scheduler import ItineraryConfirmed

ConfirmedFactory = Callable[[int], Envelope[ItineraryConfirmed]]


@pytest.fixture
def confirmed_envelope() -> ConfirmedFactory:
    """An `itinerary.confirmed` envelope with no changes, told apart by its plan version."""

    def build(plan_version: int) -> Envelope[ItineraryConfirmed]:
        payload = ItineraryConfirmed(
            itinerary_date=date(2026, 12, 1),
            plan_version=plan_version,
            proposal_id="pr-1",
            confirmed_by="tester",
            changes=[],
        )
        return ITINERARY_CONFIRMED.envelope(payload, producer="test", correlation_id="c-1")

    return build
