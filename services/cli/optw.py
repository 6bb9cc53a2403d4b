"""`dongseon optw solve`: an OPTW/TOPTW benchmark instance through the scheduler's routing core."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from services.scheduler.planning.optw import checker_routes, parse_optw, routing_problem, score
from services.scheduler.planning.routing import solve_routes

optw_app = typer.Typer(help="오리엔티어링(OPTW) 벤치마크 인스턴스 풀이", no_args_is_help=True)


@optw_app.callback()
def optw() -> None:
    """Keep `solve` a sub-command (typer collapses a one-command app otherwise)."""


def solve_optw_file(
    path: Path, time_limit: float, *, routes: int = 1, seed: int = 0
) -> dict[str, Any]:
    """Solve one instance file; the answer in check.py's JSON format plus its score."""
    instance = parse_optw(path.stem, path.read_text(encoding="ascii"))
    problem = routing_problem(instance, routes, timedelta(seconds=time_limit), seed=seed)
    answer = solve_routes(problem)
    if answer is None:
        return {"routes": [[] for _ in range(routes)], "m": routes, "score": 0}
    return {
        "routes": checker_routes(answer),
        "m": routes,
        "score": score(instance, answer),
        "status": answer.status,
    }


@optw_app.command("solve")
def solve_command(
    instance: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="인스턴스 파일")],
    routes: Annotated[int, typer.Option("--routes", "-m", min=1, help="경로 수(일수)")] = 1,
    time_limit: Annotated[float, typer.Option(help="풀이 시간 제한(초)")] = 10.0,
    seed: Annotated[int, typer.Option(help="난수 시드")] = 0,
    out: Annotated[Path | None, typer.Option(help="해를 쓸 JSON 파일")] = None,
) -> None:
    """Solve INSTANCE and print the solution as check.py reads it."""
    solution = solve_optw_file(instance, time_limit, routes=routes, seed=seed)
    text = json.dumps(solution)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
