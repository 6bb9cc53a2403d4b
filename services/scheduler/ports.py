"""What the scheduler's entrypoints need, so they depend on no composition root."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from services.scheduler.adapters.planners import Planner
from services.scheduler.domain.proposals import WorkingDay
from services.scheduler.domain.week_problem import DayRules
from services.scheduler.unit_of_work import SchedulerUnitOfWork

if TYPE_CHECKING:
    from services.scheduler.horizon import SearchBudget


class Relay(Protocol):
    def kick(self) -> None:
        """Publish staged events now rather than at the next poll."""


class SchedulerPorts(Protocol):
    @property
    def uow(self) -> Callable[[], SchedulerUnitOfWork]: ...

    @property
    def planner(self) -> Planner: ...

    @property
    def relay(self) -> Relay: ...

    @property
    def working_day(self) -> WorkingDay: ...

    @property
    def budget(self) -> SearchBudget: ...

    @property
    def day_rules(self) -> DayRules: ...
