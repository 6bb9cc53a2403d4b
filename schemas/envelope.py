"""The envelope every Dongseon event travels in, and how to open one."""

from __future__ import annotations

from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

P = TypeVar("P", bound=BaseModel)


class Envelope(BaseModel, Generic[P]):
    """Metadata common to all events; the payload's shape is fixed by (type, version)."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(default_factory=uuid4, description="Unique event id; consumers dedupe on it.")
    type: str = Field(description="Past-tense event name, e.g. `itinerary.confirmed`.")
    version: int = Field(ge=1, description="Schema version of the payload for this type.")
    occurred_at: AwareDatetime = Field(description="When the fact happened (UTC).")
    correlation_id: str = Field(description="Ties together every event caused by one request.")
    causation_id: UUID | None = Field(default=None, description="Id of the event that caused it.")
    producer: str = Field(description="Service that produced the event.")
    payload: P


class EventMeta(BaseModel):
    """The envelope without its payload, read before the payload type is known."""

    model_config = ConfigDict(extra="ignore")

    id: UUID
    type: str
    version: int
    occurred_at: AwareDatetime
    correlation_id: str
    causation_id: UUID | None = None
    producer: str
    payload: dict[str, Any]
