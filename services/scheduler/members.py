"""Use cases for council members' availability: read, replace, clear.

Only members of the council roster have availability (the same roster requests name
in `member_ids`). What an absent entry means for planning is said in
domain/availability.py: available during working hours.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from pydantic import BaseModel, Field

from services.common.errors import NotFound
from services.sample_data.base import DATA_DIR
from services.scheduler.commands import WindowIn
from services.scheduler.domain.availability import MemberAvailability, availability_of
from services.scheduler.planning.problem import TimeWindow
from services.scheduler.unit_of_work import SchedulerUnitOfWork

MEMBER = "의원"
MAX_WINDOWS = 200  # four weeks of a few windows a day


class ReplaceAvailability(BaseModel):
    """Every window the member can attend in; replaces what was stored."""

    windows: list[WindowIn] = Field(
        max_length=MAX_WINDOWS,
        description="Periods the member is free, each within one Seoul day; overlapping or "
        "touching ones are merged. An empty list: the member is available at no time.",
    )


@lru_cache(maxsize=1)
def council_member_names() -> dict[str, str]:
    """Member id → name in the council roster (the packaged, fictional one)."""
    roster = json.loads((DATA_DIR / "council_roster.json").read_text(encoding="utf-8"))
    return {m["id"]: m["name"] for m in roster["members"]}


def replace_availability(
    uow: SchedulerUnitOfWork, member_id: str, command: ReplaceAvailability, now: datetime
) -> MemberAvailability:
    """Store the member's windows (merged) in place of what was stored."""
    _known(member_id)
    availability = availability_of(member_id, (TimeWindow(w.start, w.end) for w in command.windows))
    with uow:
        uow.repo.replace_availability(availability, now)
        uow.commit()
    return availability


def get_availability(uow: SchedulerUnitOfWork, member_id: str) -> MemberAvailability | None:
    """The member's stored windows; None when nothing is stored (working hours apply)."""
    _known(member_id)
    with uow:
        return uow.repo.availability(member_id)


def clear_availability(uow: SchedulerUnitOfWork, member_id: str) -> None:
    """Forget the member's windows: the member is available during working hours again."""
    _known(member_id)
    with uow:
        uow.repo.delete_availability(member_id)
        uow.commit()


def _known(member_id: str) -> None:
    if member_id not in council_member_names():
        raise NotFound(MEMBER, member_id)
