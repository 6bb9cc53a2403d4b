"""`dongseon plan PROBLEM.json`: plan a whole horizon offline and print the itinerary."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from schemas.planning import ItemKind, PlanningProblem, WeekPlanOut

KIND_LABELS = {
    ItemKind.COMMITMENT: "고정 일정",
    ItemKind.VISIT: "방문",
    ItemKind.LUNCH: "점심",
    ItemKind.BLOCKED: "차단",
}
WEEKDAYS = "월화수목금토일"


def load_problem(path: Path) -> PlanningProblem:
    """The problem file, or typer.Exit(1) after a Korean message naming the field."""
    console = Console(stderr=True)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        console.print(f"[red]문제 파일을 읽을 수 없습니다:[/] {path} ({error.strerror})")
        raise typer.Exit(1) from None
    try:
        return PlanningProblem.model_validate_json(text)
    except ValidationError as error:
        console.print(f"[red]문제 파일 오류[/] ({path}): {error.error_count()}건")
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "(최상위)"
            console.print(f"  - 필드 [bold]{field}[/]: {item['msg']}")
        raise typer.Exit(1) from None


def solve_with_progress(problem: PlanningProblem, time_limit: float) -> WeekPlanOut:
    """Solve in a worker thread while a progress bar tracks the time limit."""
    from services.scheduler.planning.week import plan_week

    result: list[WeekPlanOut] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(plan_week(problem, timedelta(seconds=time_limit)))
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=work, daemon=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("최적 일정 탐색 중", total=time_limit)
        started = time.monotonic()
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
            progress.update(task, completed=min(time.monotonic() - started, time_limit))
    if failure:
        raise failure[0]
    return result[0]


def itinerary_table(problem: PlanningProblem, plan: WeekPlanOut) -> Table:
    names = {p.id: p.name for p in problem.places}
    table = Table(title="시장 일정안", show_lines=False)
    for column in ("날짜", "시작", "종료", "구분", "일정", "장소", "이동(분)"):
        table.add_column(column)
    for day in plan.days:
        label = f"{day.date:%m/%d}({WEEKDAYS[day.date.weekday()]})"
        table.add_row(
            label, f"{day.leave_start:%H:%M}", "", "출발", "", names[day.start_place_id], ""
        )
        for item in day.items:
            table.add_row(
                "",
                f"{item.start:%H:%M}",
                f"{item.end:%H:%M}",
                KIND_LABELS[item.kind],
                item.title,
                names.get(item.place_id or "", "-"),
                str(item.travel_minutes_before or ""),
            )
        table.add_row("", f"{day.arrive_end:%H:%M}", "", "도착", "", names[day.end_place_id], "")
    return table


def plan(
    problem_file: Annotated[
        Path, typer.Argument(help="계획 문제 JSON 파일", metavar="PROBLEM.json")
    ],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="탐색 시간(초)")] = 5.0,
    out: Annotated[Path | None, typer.Option("--out", help="계획을 쓸 JSON 파일")] = None,
) -> None:
    """Plan every day of PROBLEM.json as one model and print the itinerary."""
    problem = load_problem(problem_file)
    result = solve_with_progress(problem, time_limit)
    console = Console()
    if result.conflicts:
        console.print("[red]필수 일정을 모두 지킬 수 없습니다. 서로 충돌하는 최소 집합:[/]")
        for conflict in result.conflicts:
            console.print("  - " + ", ".join(conflict))
    if result.days:
        console.print(itinerary_table(problem, result))
    titles = {r.id: r.title for r in problem.requests}
    if result.left_out:
        console.print(f"\n[bold]제외된 요청 {len(result.left_out)}건[/]")
        for left in result.left_out:
            console.print(f"  - {titles[left.request_id]}: {left.reason}")
    console.print(
        f"\n총 가치 {result.total_value}, 이동 {result.total_travel_minutes}분, "
        f"배치 {sum(d.visits for d in result.days)}건 ({result.solver_status})"
    )
    if out is not None:
        out.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
        console.print(f"계획을 저장했습니다: {out}")
    if result.conflicts:
        raise typer.Exit(2)
