"""The routing core against brute force: exact labelling, ILS on m routes, OPTW files."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from datetime import timedelta
from itertools import combinations, permutations
from pathlib import Path

import pytest

from services.cli.optw import solve_optw_file
from services.scheduler.planning.exact import solve_exactly
from services.scheduler.planning.optw import parse_optw, routing_problem
from services.scheduler.planning.routing import (
    Route,
    Routes,
    RoutingProblem,
    route_from_order,
    solve,
    solve_routes,
)

CHECKER = Path(__file__).resolve().parents[4] / "shared" / "bench" / "optw" / "check.py"


def random_problem(
    seed: int, size: int, *, vehicles: int = 1, mandatory: int = 0, split: bool = True
) -> RoutingProblem:
    rng = random.Random(seed)
    points = [(0, 0)] + [(rng.randint(-40, 40), rng.randint(-40, 40)) for _ in range(size)]
    travel = [[abs(a[0] - b[0]) + abs(a[1] - b[1]) for b in points] for a in points]
    starts: list[list[tuple[int, int]]] = [[]]
    for _ in range(size):
        ranges = []
        for begin in sorted(rng.sample(range(0, 400, 20), rng.choice([1, 1, 2] if split else [1]))):
            ranges.append((begin, begin + rng.choice([0, 30, 90, 200])))
        merged = [ranges[0]]
        for r in ranges[1:]:
            if r[0] <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], r[1]))
            else:
                merged.append(r)
        starts.append(merged)
    penalties: list[int | None] = [None] + [rng.randint(1, 9) * 1000 for _ in range(size)]
    for node in range(1, mandatory + 1):
        penalties[node] = None
        starts[node] = [(starts[node][0][0], starts[node][0][0])]
    return RoutingProblem(
        travel=travel,
        service=[0] + [rng.choice([20, 40, 60]) for _ in range(size)],
        starts=starts,
        penalties=penalties,
        horizon=480,
        time_limit=timedelta(seconds=0.5),
        vehicles=vehicles,
        seed=seed,
    )


def best_by_brute_force(problem: RoutingProblem) -> tuple[int, int] | None:
    """(value, travel) of the best single route over every subset in every order."""
    nodes = range(1, len(problem.travel))
    must = [n for n in nodes if problem.penalties[n] is None]
    optional = [n for n in nodes if problem.penalties[n] is not None]
    best: tuple[int, int] | None = None
    for k in range(len(optional) + 1):
        for chosen in combinations(optional, k):
            value = sum(problem.penalties[n] or 0 for n in chosen)
            for order in permutations([*must, *chosen]):
                route = route_from_order(problem, list(order), "brute")
                if route is not None:
                    key = (value, -_travel(problem, order))
                    if best is None or key > (best[0], -best[1]):
                        best = (value, _travel(problem, order))
    return best


def _travel(problem: RoutingProblem, order: tuple[int, ...] | list[int]) -> int:
    path = [0, *order, 0]
    return sum(problem.travel[a][b] for a, b in zip(path, path[1:], strict=False))


def assert_feasible(problem: RoutingProblem, answer: Routes) -> None:
    seen: list[int] = []
    for route in answer.routes:
        assert route_from_order(problem, list(route.visits), "check") is not None
        seen.extend(route.visits)
    assert len(seen) == len(set(seen))
    assert len(answer.routes) == problem.vehicles
    assert all(n in seen for n in range(1, len(problem.travel)) if problem.penalties[n] is None)


@pytest.mark.parametrize("seed", range(8))
def test_exact_labelling_finds_the_brute_force_optimum(seed: int) -> None:
    problem = random_problem(seed, 6, mandatory=seed % 2)
    answer = solve_exactly(problem)
    expected = best_by_brute_force(problem)
    if expected is None:
        assert answer is None
        return
    assert answer is not None and answer.optimal
    (route,) = answer.routes
    assert sum(problem.penalties[n] or 0 for n in route.visits) == expected[0]
    assert _travel(problem, route.visits) == expected[1]
    assert route_from_order(problem, list(route.visits), route.status) == Route(
        route.visits, route.starts, route.back, route.status, optimal=False
    )


def test_impossible_mandatory_pair_has_no_route() -> None:
    problem = RoutingProblem(
        travel=[[0, 10, 10], [10, 0, 10], [10, 10, 0]],
        service=[0, 60, 60],
        starts=[[], [(100, 100)], [(120, 120)]],
        penalties=[None, None, None],
        horizon=480,
        time_limit=timedelta(seconds=5),
    )
    assert solve(problem) is None


def test_small_problems_return_at_once_with_a_proof() -> None:
    problem = random_problem(3, 10)
    began = time.perf_counter()
    route = solve(problem)
    assert time.perf_counter() - began < problem.time_limit.total_seconds()
    assert route is not None and route.optimal and route.status == "EXACT_OPTIMAL"


def test_ils_on_two_routes_matches_the_best_pair_of_single_routes() -> None:
    problem = random_problem(11, 7, vehicles=2, split=False)
    single = RoutingProblem(**{**problem.__dict__, "vehicles": 1})
    nodes = list(range(1, 8))
    feasible: dict[frozenset[int], int] = {frozenset(): 0}
    for k in range(1, 8):
        for chosen in combinations(nodes, k):
            if any(route_from_order(single, list(o), "b") for o in permutations(chosen)):
                feasible[frozenset(chosen)] = sum(problem.penalties[n] or 0 for n in chosen)
    best = max(a + b for s, a in feasible.items() for t, b in feasible.items() if not s & t)
    answer = solve_routes(problem)
    assert answer is not None
    assert_feasible(problem, answer)
    assert sum(problem.penalties[n] or 0 for n in answer.visited) == best


def test_ils_stops_early_when_every_node_that_fits_is_placed() -> None:
    problem = RoutingProblem(
        travel=[[abs(a - b) for b in range(13)] for a in range(13)],
        service=[0] + [5] * 12,
        starts=[[]] + [[(0, 400)]] * 12,
        penalties=[None] + [1000] * 12,
        horizon=480,
        time_limit=timedelta(seconds=20),
        vehicles=2,
    )
    began = time.perf_counter()
    answer = solve_routes(problem)
    assert time.perf_counter() - began < 5
    assert answer is not None and answer.status == "ILS_ALL_PLACED"
    assert answer.visited == frozenset(range(1, 13))


INSTANCE = """\
1 2 6 0
0 0
0 0.0 0.0 0 0 0 0 0 100
1 3.0 4.0 10 5 1 1 1 0 50
2 -3.0 4.0 10 7 1 1 1 0 60
3 6.05 0.0 5 9 1 1 1 10 20
4 0.0 -8.0 10 4 1 1 1 70 80
5 30.0 30.0 10 20 1 1 1 0 100
6 1.0 1.0 10 2 1 1 1 95 99
"""


def test_optw_travel_is_truncated_to_the_instance_decimals() -> None:
    instance = parse_optw("c999", INSTANCE)
    problem = routing_problem(instance, 1, timedelta(seconds=1))
    assert problem.travel[0][1] == 50  # 5.0 in tenths
    assert problem.travel[0][3] == 60  # 6.05 truncated to 6.0
    assert problem.travel[0][6] == 14  # sqrt(2) = 1.41… → 1.4
    assert problem.starts[3] == [(100, 200)] and problem.service[3] == 50
    assert problem.horizon == 1000
    assert parse_optw("pr99", INSTANCE).decimals == 2


def test_solve_optw_file_answers_in_the_checker_format(tmp_path: Path) -> None:
    path = tmp_path / "c999.txt"
    path.write_text(INSTANCE, encoding="ascii")
    solution = solve_optw_file(path, 0.5, routes=2)
    assert len(solution["routes"]) == 2
    assert all(r[0] == 0 and r[-1] == 0 for r in solution["routes"])
    if CHECKER.exists():
        out = tmp_path / "solution.json"
        out.write_text(json.dumps({"routes": solution["routes"]}))
        checked = subprocess.run(
            [sys.executable, str(CHECKER), str(path), str(out), "--m", "2"],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"score={solution['score']}" in checked.stdout


def test_optw_solve_command_prints_the_solution(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from services.cli.optw import optw_app

    path = tmp_path / "c999.txt"
    path.write_text(INSTANCE, encoding="ascii")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        optw_app, ["solve", str(path), "--routes", "1", "--time-limit", "0.2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads(out.read_text())
    assert printed["m"] == 1 and printed["routes"][0][0] == 0
