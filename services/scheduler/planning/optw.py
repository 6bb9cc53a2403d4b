"""Orienteering with time windows (OPTW / TOPTW) instances as routing problems.

The public benchmark format (see ../shared/bench/optw/README.md): node lines only,
`i x y d S f a list... O C`, travel = Euclidean distance truncated to 1 decimal
(Solomon) or 2 decimals (Cordeau `pr*`). Working in units of 0.1 or 0.01 makes every
time integer, so the routing core solves the instance exactly as the checker scores it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from services.scheduler.planning.routing import Routes, RoutingProblem


@dataclass(frozen=True)
class OptwNode:
    id: int
    x: Decimal
    y: Decimal
    service: Decimal
    score: int
    open: Decimal
    close: Decimal  # latest start of service


@dataclass(frozen=True)
class OptwInstance:
    name: str
    nodes: tuple[OptwNode, ...]
    decimals: int  # travel truncated to this many decimals

    @property
    def scale(self) -> int:
        return 10**self.decimals


def parse_optw(name: str, text: str) -> OptwInstance:
    """Read the node lines (header lines 1–2 are unreliable upstream, so they are skipped)."""
    nodes = []
    for line in text.splitlines()[2:]:
        tok = line.split()
        if tok:
            x, y, service, score, opening, closing = (tok[1], tok[2], tok[3], tok[4], *tok[-2:])
            nodes.append(
                OptwNode(
                    int(tok[0]),
                    Decimal(x),
                    Decimal(y),
                    Decimal(service),
                    int(Decimal(score)),
                    Decimal(opening),
                    Decimal(closing),
                )
            )
    if [n.id for n in nodes] != list(range(len(nodes))) or len(nodes) < 2:
        raise ValueError(f"{name}: node ids must run 0..N consecutively")
    decimals = 2 if name.lower().startswith("pr") else 1
    return OptwInstance(name, tuple(nodes), decimals)


def routing_problem(
    instance: OptwInstance, vehicles: int, time_limit: timedelta, seed: int = 0
) -> RoutingProblem:
    """Integer units of 10^-decimals; times shifted so the day opens at 0; score ≫ travel."""
    scale = instance.scale
    depot = instance.nodes[0]
    shift = _units(depot.open, scale)
    horizon = _units(depot.close, scale) - shift
    travel = _travel_matrix(instance.nodes, scale)
    value_scale = vehicles * horizon + 1  # above any total travel: score first
    return RoutingProblem(
        travel=travel,
        service=[0, *(_units(n.service, scale) for n in instance.nodes[1:])],
        starts=[[], *(_window(n, scale, shift, horizon) for n in instance.nodes[1:])],
        penalties=[None, *(n.score * value_scale for n in instance.nodes[1:])],
        horizon=horizon,
        time_limit=time_limit,
        vehicles=vehicles,
        seed=seed,
    )


def score(instance: OptwInstance, routes: Routes) -> int:
    return sum(instance.nodes[node].score for node in routes.visited)


def checker_routes(routes: Routes) -> list[list[int]]:
    """The checker's JSON shape: depot-to-depot node lists, one per route."""
    return [[0, *route.visits, 0] for route in routes.routes]


def _window(node: OptwNode, scale: int, shift: int, horizon: int) -> list[tuple[int, int]]:
    opening = max(0, _units(node.open, scale) - shift)
    closing = min(horizon, _units(node.close, scale) - shift)
    return [(opening, closing)] if opening <= closing else []


def _units(value: Decimal, scale: int) -> int:
    exact = Fraction(value) * scale
    if exact.denominator != 1:
        raise ValueError(f"time {value} is not a multiple of 1/{scale}")
    return int(exact)


def _travel_matrix(nodes: tuple[OptwNode, ...], scale: int) -> list[list[int]]:
    """Euclidean distances truncated to 1/scale, in units of 1/scale, by exact integer maths."""
    places = max(-min(int(n.x.as_tuple().exponent), int(n.y.as_tuple().exponent)) for n in nodes)
    unit = 10 ** max(places, 0)
    points = [(int(n.x * unit), int(n.y * unit)) for n in nodes]
    factor, divisor = scale * scale, unit * unit
    return [
        [math.isqrt(((ax - bx) ** 2 + (ay - by) ** 2) * factor // divisor) for bx, by in points]
        for ax, ay in points
    ]
