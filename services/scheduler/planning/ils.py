"""Iterated local search for prize-collecting routes with one time window per node.

Ruin and recreate in the manner of the best orienteering heuristics: remove strings of
visits near a random seed (SISR-like), a string per route, or a cluster; re-insert
greedily by value^p / time consumed (p = 1 or 2, with noise); when the result is at
least as valuable as the best, compact it (relocate, 2-opt) and insert again. Accept by
simulated annealing on the value; go back to the best when the search stalls.
Insertions are checked in O(1) with each visit's wait and max shift, vectorised over
every (gap, node) pair, and only the route that changed is re-evaluated.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

from services.scheduler.planning.routing import DEPOT, Routes, RoutingProblem, route_from_order

STATUS = "ILS_TIME_LIMIT"
STATUS_ALL_PLACED = "ILS_ALL_PLACED"
NOISE = 0.6  # each node's insertion ratio is multiplied by 1 + NOISE·U(0, 1)
STRING_SHARE = 2  # a removed string is at most 1/2 of its route
CLUSTER_SHARE = 3  # a removed cluster is at most 1/3 of all visits
TEMPERATURE = 1.5  # start temperature in mean node values, cooled 100-fold over the run
STRING_MAX = 10  # longest string the SISR-like ruin removes from one route
STALL = 2000  # iterations without a new best before going back to the best


def applies(problem: RoutingProblem) -> bool:
    """Every node optional with at most one start range (the OPTW shape)."""
    return all(p is not None for p in problem.penalties[1:]) and all(
        len(r) <= 1 for r in problem.starts[1:]
    )


class _Instance:
    def __init__(self, problem: RoutingProblem) -> None:
        size = len(problem.travel)
        self.size = size
        self.travel = np.array(problem.travel, dtype=np.int64)
        self.service = np.array(problem.service, dtype=np.int64)
        windows = [r[0] if r else (1, 0) for r in problem.starts[1:]]  # (1, 0): never open
        self.open = np.array([0, *(w[0] for w in windows)], dtype=np.int64)
        self.close = np.array([problem.horizon, *(w[1] for w in windows)], dtype=np.int64)
        self.value = np.array([0, *(p or 0 for p in problem.penalties[1:])], dtype=np.float64)
        self.horizon = problem.horizon
        self.t = problem.travel
        self.d, self.o, self.c = (a.tolist() for a in (self.service, self.open, self.close))
        self.worth = self.value.tolist()
        self.near = np.argsort(self.travel + self.travel.T, axis=1)
        begin = np.maximum(self.travel[0], self.open)
        fits = (begin <= self.close) & (begin + self.service + self.travel[:, 0] <= self.horizon)
        self.candidates = frozenset(int(j) for j in np.flatnonzero(fits) if j != DEPOT)
        self.bound = float(sum(self.value[j] for j in self.candidates))


class _Route:
    """A route with the timing each insertion check needs: start, wait and max shift."""

    def __init__(self, inst: _Instance, visits: list[int]) -> None:
        self.visits = visits
        self.refresh(inst)

    def refresh(self, inst: _Instance) -> None:
        seq = [DEPOT, *self.visits, DEPOT]
        t, d, o, c = inst.t, inst.d, inst.o, inst.c
        start = [0] * len(seq)
        wait = [0] * len(seq)
        for i in range(1, len(seq)):
            arrive = start[i - 1] + d[seq[i - 1]] + t[seq[i - 1]][seq[i]]
            begin = max(arrive, o[seq[i]]) if i < len(seq) - 1 else arrive
            start[i], wait[i] = begin, begin - arrive
        shift = [0] * len(seq)
        shift[-1] = inst.horizon - start[-1]
        for i in range(len(seq) - 2, 0, -1):
            shift[i] = min(c[seq[i]] - start[i], wait[i + 1] + shift[i + 1])
        self.seq, self.start, self.wait, self.shift = seq, start, wait, shift
        self.duration = start[-1]
        # Per gap p (between seq[p] and seq[p+1]): the arrays every insertion check reads.
        self.prev = np.array(seq[:-1])
        self.next = np.array(seq[1:])
        self.leave = np.array([start[p] + d[seq[p]] for p in range(len(seq) - 1)])
        self.cap = np.array([wait[p] + shift[p] for p in range(1, len(seq))])


class _Solution:
    def __init__(self, inst: _Instance, routes: list[_Route]) -> None:
        self.routes = routes
        self.inst = inst

    @property
    def value(self) -> float:
        worth = self.inst.worth
        return float(sum(worth[v] for r in self.routes for v in r.visits))

    @property
    def fitness(self) -> float:
        """Value first; among equal values, less total time leaves more room."""
        used = sum(r.duration for r in self.routes)
        return self.value - used / (len(self.routes) * self.inst.horizon + 1)

    def copy(self) -> _Solution:
        return _Solution(self.inst, [_Route.__new__(_Route) for _ in self.routes])._fill(self)

    def _fill(self, other: _Solution) -> _Solution:
        for mine, theirs in zip(self.routes, other.routes, strict=True):
            mine.visits = list(theirs.visits)
            mine.seq, mine.start = theirs.seq, theirs.start
            mine.wait, mine.shift, mine.duration = theirs.wait, theirs.shift, theirs.duration
            mine.prev, mine.next, mine.leave, mine.cap = (
                theirs.prev,
                theirs.next,
                theirs.leave,
                theirs.cap,
            )
        return self

    def visited(self) -> set[int]:
        return {v for r in self.routes for v in r.visits}


def _insertions(
    sol: _Solution, nodes: np.ndarray
) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """For every gap of every route × node: (route, position) per row, time added, feasible."""
    inst = sol.inst
    routes = sol.routes
    where = [(k, p) for k, r in enumerate(routes) for p in range(len(r.visits) + 1)]
    prev = np.concatenate([r.prev for r in routes])
    nxt = np.concatenate([r.next for r in routes])
    leave = np.concatenate([r.leave for r in routes])[:, None]
    cap = np.concatenate([r.cap for r in routes])[:, None]
    begin = np.maximum(leave + inst.travel[prev][:, nodes], inst.open[nodes])
    added = (
        begin
        - leave
        + inst.service[nodes]
        + inst.travel[nodes][:, nxt].T
        - inst.travel[prev, nxt][:, None]
    )
    ok = (begin <= inst.close[nodes]) & (added <= cap)
    return where, added, ok


def _gaps(inst: _Instance, route: _Route, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Time added by putting each node in each gap of one route, and whether it fits."""
    leave = route.leave[:, None]
    begin = np.maximum(leave + inst.travel[route.prev][:, nodes], inst.open[nodes])
    added = (
        begin
        - leave
        + inst.service[nodes]
        + inst.travel[nodes][:, route.next].T
        - inst.travel[route.prev, route.next][:, None]
    )
    return added, (begin <= inst.close[nodes]) & (added <= route.cap[:, None])


def _recreate(sol: _Solution, rng: random.Random, noise: float) -> None:
    """Greedy insertion by value^p / added time (p = 1 or 2, with noise) until nothing fits.

    Only the route that received a node is re-evaluated after each insertion.
    """
    inst = sol.inst
    unvisited = np.array(sorted(inst.candidates - sol.visited()), dtype=np.int64)
    power = rng.choice((1.0, 2.0))
    blocks = [_gaps(inst, r, unvisited) for r in sol.routes]
    while unvisited.size:
        weight = inst.value[unvisited] ** power
        if noise:
            weight = weight * (1.0 + noise * np.array([rng.random() for _ in unvisited]))
        best, choice = -1.0, (0, 0, 0)
        for k, (added, ok) in enumerate(blocks):
            if not ok.any():
                continue
            ratio = np.where(ok, weight / (np.maximum(added, 0) + 1.0), -1.0)
            flat = int(np.argmax(ratio))
            if ratio.flat[flat] > best:
                best = float(ratio.flat[flat])
                choice = (k, *divmod(flat, ratio.shape[1]))
        if best < 0:
            return
        k, position, column = choice
        route = sol.routes[k]
        route.visits.insert(position, int(unvisited[column]))
        route.refresh(inst)
        keep = np.arange(unvisited.size) != column
        unvisited = unvisited[keep]
        blocks = [
            _gaps(inst, route, unvisited) if j == k else (added[:, keep], ok[:, keep])
            for j, (added, ok) in enumerate(blocks)
        ]


def _compact(sol: _Solution, rng: random.Random, deadline: float) -> None:
    """Move single visits to where they cost least time (any route) while total time falls."""
    inst = sol.inst
    nodes = [v for r in sol.routes for v in r.visits]
    rng.shuffle(nodes)
    for v in nodes:
        if time.monotonic() > deadline:
            return
        k = next(i for i, r in enumerate(sol.routes) if v in r.visits)
        route = sol.routes[k]
        i = route.visits.index(v)
        before = route.duration
        route.visits.pop(i)
        route.refresh(inst)
        saved = before - route.duration
        where, added, ok = _insertions(sol, np.array([v]))
        added = np.where(ok[:, 0], added[:, 0], np.iinfo(np.int64).max)
        row = int(np.argmin(added))
        target, p = where[row]
        if ok[row, 0] and added[row] < saved and (target, p) != (k, i):
            sol.routes[target].visits.insert(p, v)
            sol.routes[target].refresh(inst)
        else:
            route.visits.insert(i, v)
            route.refresh(inst)
    for route in sol.routes:
        _two_opt(inst, route)


def _two_opt(inst: _Instance, route: _Route) -> None:
    """Reverse stretches of the route while that brings it back earlier (first improvement)."""
    t = inst.t
    improved = True
    while improved:
        improved = False
        seq = route.seq
        for i in range(1, len(seq) - 2):
            a, first = seq[i - 1], seq[i]
            for j in range(i + 1, len(seq) - 1):
                last, b = seq[j], seq[j + 1]
                if t[a][last] + t[first][b] >= t[a][first] + t[last][b]:
                    continue
                order = route.visits[: i - 1] + route.visits[i - 1 : j][::-1] + route.visits[j:]
                back = _back(inst, order)
                if back is not None and back < route.duration:
                    route.visits = order
                    route.refresh(inst)
                    improved = True
                    break
            if improved:
                break


def _back(inst: _Instance, order: list[int]) -> int | None:
    """When a route in this order is back at the depot, or None if it breaks a window."""
    t, d, o, c = inst.t, inst.d, inst.o, inst.c
    now, here = 0, DEPOT
    for node in order:
        now = max(now + d[here] + t[here][node], o[node])
        if now > c[node]:
            return None
        here = node
    back = now + d[here] + t[here][DEPOT]
    return back if back <= inst.horizon else None


def _ruin(sol: _Solution, rng: random.Random) -> None:
    """One of three ruins: strings near a seed (1/2), a string per route, a cluster (1/4 each)."""
    inst = sol.inst
    draw = rng.random()
    if draw < 0.5:
        _ruin_strings_near(sol, rng)
        return
    if draw < 0.75:
        for r in sol.routes:
            if r.visits:
                length = rng.randint(1, max(1, len(r.visits) // STRING_SHARE))
                begin = rng.randrange(0, len(r.visits) - length + 1)
                del r.visits[begin : begin + length]
                r.refresh(inst)
        return
    seed = rng.randrange(1, inst.size)
    visited = sol.visited()
    count = rng.randint(2, max(2, len(visited) // CLUSTER_SHARE))
    chosen: set[int] = set()
    for j in inst.near[seed]:
        if len(chosen) >= count:
            break
        if int(j) in visited:
            chosen.add(int(j))
    for r in sol.routes:
        if chosen.intersection(r.visits):
            r.visits = [v for v in r.visits if v not in chosen]
            r.refresh(inst)


def _ruin_strings_near(sol: _Solution, rng: random.Random) -> None:
    """SISR-like: strings around a random seed, in the routes that pass near it."""
    inst = sol.inst
    owner = {v: r for r in sol.routes for v in r.visits}
    strings = rng.randint(1, len(sol.routes))
    ruined: set[int] = set()
    for j in inst.near[rng.randrange(1, inst.size)]:
        route = owner.get(int(j))
        if route is None or id(route) in ruined:
            continue
        ruined.add(id(route))
        length = rng.randint(1, max(1, min(STRING_MAX, len(route.visits))))
        at = route.visits.index(int(j))
        begin = max(0, min(at - rng.randrange(length), len(route.visits) - length))
        del route.visits[begin : begin + length]
        route.refresh(inst)
        if len(ruined) >= strings:
            break


def improve(problem: RoutingProblem) -> Routes | None:
    """Best routes found within the time limit; stops early once every node that fits is placed."""
    deadline = time.monotonic() + problem.time_limit.total_seconds()
    inst = _Instance(problem)
    rng = random.Random(problem.seed)
    current = _Solution(inst, [_Route(inst, []) for _ in range(problem.vehicles)])
    _recreate(current, rng, 0.0)
    best = current.copy()
    began = time.monotonic()
    total = max(deadline - began, 1e-6)
    scale = float(np.mean(inst.value[1:])) if inst.size > 1 else 1.0
    stall = 0
    while time.monotonic() < deadline and best.value < inst.bound:
        progress = (time.monotonic() - began) / total
        temperature = scale * TEMPERATURE * (0.01**progress)
        trial = current.copy()
        _ruin(trial, rng)
        _recreate(trial, rng, NOISE)
        if trial.value >= best.value:  # promising: make room, then fill it
            _compact(trial, rng, deadline)
            _recreate(trial, rng, 0.0)
        delta = trial.fitness - current.fitness
        if delta >= 0 or rng.random() < math.exp(delta / temperature):
            current = trial
        if current.fitness > best.fitness + 1e-9:
            best, stall = current.copy(), 0
        else:
            stall += 1
            if stall > STALL:
                current, stall = best.copy(), 0
    status = STATUS_ALL_PLACED if best.value >= inst.bound else STATUS
    routes = []
    for r in best.routes:
        route = route_from_order(problem, r.visits, status)
        if route is None:
            return None
        routes.append(route)
    return Routes(tuple(routes), status, optimal=False)
