"""Corrections as commands: any subset of fields, validated as a create command would be."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from schemas.vocabulary import PolicyArea, VisitCategory
from services.scheduler.commands import CreateCommitment, CreateVisitRequest, PlaceIn, WindowIn
from services.scheduler.domain.requests import Recurrence


class VisitRequestPatch(BaseModel):
    """Any subset of a request's fields; the result is validated as a new request would be."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    purpose: str | None = None
    category: VisitCategory | None = None
    policy_area: PolicyArea | None = None
    place: PlaceIn | None = None
    duration_minutes: int | None = None
    windows: list[WindowIn] | None = None
    priority: int | None = None
    public: bool | None = None
    important: bool | None = None
    requesting_department: str | None = None
    mandatory: bool | None = None
    member_ids: list[str] | None = None


class CommitmentPatch(BaseModel):
    """Any subset of a commitment's fields; the result is validated as a new one would be."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    purpose: str | None = None
    category: VisitCategory | None = None
    policy_area: PolicyArea | None = None
    place: PlaceIn | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    public: bool | None = None
    important: bool | None = None
    requesting_department: str | None = None
    recurrence: Recurrence | None = None
    rrule: str | None = None
    exdates: list[date] | None = None
    covers_lunch: bool | None = None


def patched(
    model: type[CreateVisitRequest] | type[CreateCommitment],
    current: dict[str, Any],
    patch: BaseModel,
    today: date,
) -> Any:
    """`current` with the fields the patch sets, validated like a create command.

    An explicit null clears a nullable field (policy area, rrule) and is refused elsewhere.
    Raises pydantic's ValidationError naming each bad field.
    """
    merged = {**current, **patch.model_dump(exclude_unset=True, mode="json")}
    return model.model_validate(merged, context={"today": today})
