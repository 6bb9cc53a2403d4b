"""The objective, written once: ordered terms any plan can be scored with.

The solver, the explanations and a hand-edited plan all go through `evaluate`. Terms are
compared in order (lexicographically): the worth of the placed requests first (higher is
better), then the budgeted travel minutes (lower is better). A later term (district
fairness, stability against the confirmed plan) is one more entry in `TERMS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schemas.planning import ItemKind, PlanningProblem, ScoreOut, WeekPlanOut
from services.scheduler.planning.week.horizon import Compiled, compile_problem
from services.scheduler.planning.week.solver import leg_bounds


@dataclass(frozen=True)
class Term:
    name: str
    maximise: bool
    measure: Callable[[Compiled, list[list[int]], WeekPlanOut], int]


def placed_worth(c: Compiled, bounds: list[list[int]], plan: WeekPlanOut) -> int:
    """Worth of every placed request, by its priority (weights.priority_worth)."""
    worth = c.problem.weights.priority_worth
    priority = {r.id: r.priority for r in c.problem.requests}
    return sum(
        worth[priority[item.id]]
        for day in plan.days
        for item in day.items
        if item.kind is ItemKind.VISIT
    )


def budgeted_travel(c: Compiled, bounds: list[list[int]], plan: WeekPlanOut) -> int:
    """Sum of the legs' bounds (the minutes the solver's arc costs count)."""
    index = {node.ref: i for i, node in enumerate(c.nodes)}
    dates = {day.date: d for d, day in enumerate(c.days)}
    total = 0
    for day in plan.days:
        d = dates[day.date]
        path = [d, *(index[i.id] for i in day.items if i.id in index), len(c.days) + d]
        total += sum(bounds[a][b] for a, b in zip(path, path[1:], strict=False))
    return total


TERMS: tuple[Term, ...] = (
    Term("value", True, placed_worth),
    Term("travel_minutes", False, budgeted_travel),
)


@dataclass(frozen=True)
class Score:
    """(name, value) per term, in order of importance."""

    terms: tuple[tuple[str, int], ...]

    def key(self) -> tuple[int, ...]:
        """Larger is better, term by term."""
        senses = {t.name: t.maximise for t in TERMS}
        return tuple(v if senses[n] else -v for n, v in self.terms)

    def __getitem__(self, name: str) -> int:
        return dict(self.terms)[name]

    def out(self) -> ScoreOut:
        return ScoreOut(terms=list(self.terms))


def evaluate(
    problem: PlanningProblem,
    plan: WeekPlanOut,
    compiled: Compiled | None = None,
    bounds: list[list[int]] | None = None,
) -> Score:
    """Score any plan of `problem` (the solver's, or one edited by hand)."""
    c = compiled or compile_problem(problem)
    b = bounds or leg_bounds(c)
    return Score(tuple((term.name, term.measure(c, b, plan)) for term in TERMS))
