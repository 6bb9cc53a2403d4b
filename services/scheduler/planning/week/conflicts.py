"""When the mandatory items cannot all be kept: the smallest conflicting set found.

A deletion filter over the mandatory nodes: drop one item; if the rest is still infeasible
the item is not needed to explain the conflict, so it stays out. What remains is a minimal
set (removing any one of its items makes it feasible, as far as the search can tell: each
check is a short first-solution search, so "feasible" is proven, "infeasible" is not).
"""

from __future__ import annotations

from datetime import timedelta

from services.scheduler.planning.week.horizon import Compiled
from services.scheduler.planning.week.solver import WeekModel

CHECK_LIMIT = timedelta(seconds=1)


def feasible(c: Compiled, bounds: list[list[int]], keep: set[int]) -> bool:
    """Can the nodes in `keep` (and every break) all be placed?"""
    model = WeekModel(c, bounds, only=keep)
    return model.solve(CHECK_LIMIT, first_only=True) is not None


def smallest_conflict(c: Compiled, bounds: list[list[int]]) -> list[str]:
    """Refs of a minimal infeasible set of mandatory items (empty if none is found)."""
    mandatory = [i for i in range(2 * len(c.days), len(c.nodes)) if c.nodes[i].mandatory]
    if feasible(c, bounds, set(mandatory)):
        return []
    needed = list(mandatory)
    for node in mandatory:
        trial = [n for n in needed if n != node]
        if not feasible(c, bounds, set(trial)):
            needed = trial
    return [c.nodes[i].ref for i in needed]
