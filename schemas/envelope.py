"""The envelope every Dongseon event travels in, and how to open one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

P = TypeVar("P", bound=BaseModel)

DEFAULT_OFFICE = "seoul"
"""The office (tenant) a single-city deployment serves; several cities can share one cluster."""

OFFICE_ID_PATTERN = r"^[a-z][a-z0-9-]{1,39}$"


class Envelope(BaseModel, Generic[P]):
    """Metadata common to all events; the payload's shape is fixed by (type, version)."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(default_factory=uuid4, description="Unique event id; consumers dedupe on it.")
    type: str = Field(description="Past-tense event name, e.g. `itinerary.confirmed`.")
    version: int = Field(ge=1, description="Schema version of the payload for this type.")
    office_id: str = Field(
        default=DEFAULT_OFFICE,
        pattern=OFFICE_ID_PATTERN,
        description="The office (city government) the event belongs to; part of every key.",
        examples=[DEFAULT_OFFICE],
    )
    occurred_at: AwareDatetime = Field(description="When the fact happened, always in UTC.")
    correlation_id: str = Field(
        description="Id of the request that started the chain (request → proposal → "
        "confirmation → briefing → notice); also sent as the Kafka `correlation_id` header."
    )
    causation_id: UUID | None = Field(
        default=None, description="Id of the event that directly caused this one, if any."
    )
    producer: str = Field(description="Service that produced the event.")
    payload: P

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class EventMeta(BaseModel):
    """The envelope without its payload, read before the payload type is known."""

    model_config = ConfigDict(extra="ignore")

    id: UUID
    type: str
    version: int
    office_id: str = Field(default=DEFAULT_OFFICE, pattern=OFFICE_ID_PATTERN)
    occurred_at: AwareDatetime
    correlation_id: str
    causation_id: UUID | None = None
    producer: str
    payload: dict[str, Any]
