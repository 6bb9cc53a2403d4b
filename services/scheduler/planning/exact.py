"""Exact single-route solver for small days: labels over (visited set, last node).

A label is the earliest finish of the last visit and the travel so far; waiting is
free and travel does not depend on the hour, so at equal (set, last) a label that is
no later and no longer dominates. That makes the search exact, and for the days the
secretariat plans (a dozen candidates at most) it answers in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.scheduler.planning.routing import (
    DEPOT,
    Route,
    Routes,
    RoutingProblem,
    earliest_start,
)

STATUS = "EXACT_OPTIMAL"


@dataclass(frozen=True)
class _Label:
    finish: int  # end of service at `node`
    travel: int
    node: int
    parent: _Label | None
    start: int


def solve_exactly(problem: RoutingProblem) -> Routes | None:
    """Proven best route (value first, then travel), or None when the mandatory nodes can't fit."""
    size = len(problem.travel)
    mandatory = sum(1 << n for n in range(1, size) if problem.penalties[n] is None)
    worth = [0, *(p or 0 for p in problem.penalties[1:])]
    root = _Label(0, 0, DEPOT, None, 0)
    layer: dict[tuple[int, int], list[_Label]] = {(0, DEPOT): [root]}
    best: tuple[int, int, _Label] | None = None  # (-value, travel, last label)
    while layer:
        following: dict[tuple[int, int], list[_Label]] = {}
        for (mask, last), labels in layer.items():
            value = sum(worth[n] for n in range(1, size) if mask >> n & 1)
            if mask & mandatory == mandatory:
                for label in labels:
                    back = label.finish + problem.travel[last][DEPOT]
                    if back <= problem.horizon:
                        key = (-value, label.travel + problem.travel[last][DEPOT], label)
                        if best is None or key[:2] < best[:2]:
                            best = key
            children: list[tuple[int, _Label]] = []
            for node in range(1, size):
                if mask >> node & 1:
                    continue
                for label in labels:
                    arrive = label.finish + problem.travel[last][node]
                    start = earliest_start(problem.starts[node], arrive)
                    if start is None or start + problem.service[node] > problem.horizon:
                        continue
                    travel = label.travel + problem.travel[last][node]
                    finish = start + problem.service[node]
                    children.append((node, _Label(finish, travel, node, label, start)))
            reachable = {node for node, _ in children}
            if best is not None and value + sum(worth[n] for n in reachable) < -best[0]:
                continue
            for node, child in children:
                _insert(following.setdefault((mask | 1 << node, node), []), child)
        layer = following
    if best is None:
        return None
    return Routes((_route(best[2], problem),), STATUS, optimal=True)


def _insert(front: list[_Label], label: _Label) -> None:
    """Keep only labels that are earlier or shorter than every other (a Pareto front)."""
    for other in front:
        if other.finish <= label.finish and other.travel <= label.travel:
            return
    front[:] = [o for o in front if not (label.finish <= o.finish and label.travel <= o.travel)]
    front.append(label)


def _route(last: _Label, problem: RoutingProblem) -> Route:
    chain: list[_Label] = []
    label: _Label | None = last
    while label is not None and label.node != DEPOT:
        chain.append(label)
        label = label.parent
    chain.reverse()
    return Route(
        visits=tuple(label.node for label in chain),
        starts=tuple(label.start for label in chain),
        back=last.finish + problem.travel[last.node][DEPOT],
        status=STATUS,
        optimal=True,
    )
