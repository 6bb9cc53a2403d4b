"""How fast is a week proposal, how close to a long search, and what does the travel bound cost?

Plans the sample week problem file (services/sample_data/week_problem.json; a seeded
synthetic 150-request week if it is absent) with `plan_week`:

- the whole week at --quick seconds (the first proposal) and at --long seconds, value and
  travel of each, and the value gap;
- each day alone (the problem cut to that day) at --day seconds, wall time per day;
- the travel model: the same week planned with the rush-hour bands removed (nominal
  speed, what a planner that ignores departure times would show), and how many of its
  arrivals are late under the real departure-time-dependent model, beside the bound's
  value (the plan_week choice: never late).

    nice -n 19 .venv/bin/python bench/week_plan.py --quick 4 --long 60 --day 0.8
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from pathlib import Path

from schemas.planning import PlanningProblem
from services.scheduler.planning.week import plan_week
from services.scheduler.planning.week.check import violations
from services.scheduler.planning.week.synthetic import synthetic_week

SAMPLE = Path(__file__).resolve().parents[1] / "services/sample_data/week_problem.json"


def load() -> tuple[str, PlanningProblem]:
    if SAMPLE.exists():
        return SAMPLE.name, PlanningProblem.model_validate_json(SAMPLE.read_text("utf-8"))
    return "synthetic seed 7", synthetic_week()


def timed(problem: PlanningProblem, seconds: float) -> tuple[float, int, int, int, int]:
    started = time.perf_counter()
    plan = plan_week(problem, timedelta(seconds=seconds))
    wall = time.perf_counter() - started
    assert violations(problem, plan) == [], violations(problem, plan)[:3]
    placed = sum(d.visits for d in plan.days)
    return wall, plan.total_value, plan.total_travel_minutes, placed, len(plan.left_out)


def one_day(problem: PlanningProblem, index: int) -> PlanningProblem:
    """The problem cut to one day: its requests (mandatory only if that day is their only one)."""
    data = problem.model_dump(mode="json")
    day = data["days"][index]["date"]
    data["days"] = [data["days"][index]]
    kept = []
    for request in data["requests"]:
        dates = {w["start"][:10] for w in request["windows"]} | {
            w["end"][:10] for w in request["windows"]
        }
        if day in dates:
            request["mandatory"] = request["mandatory"] and dates == {day}
            kept.append(request)
    data["requests"] = kept
    return PlanningProblem.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", type=float, default=4.0)
    parser.add_argument("--long", type=float, default=60.0)
    parser.add_argument("--day", type=float, default=0.8)
    args = parser.parse_args()
    name, problem = load()
    print(f"problem: {name}: {len(problem.days)} days, {len(problem.requests)} requests")
    print("| run | limit s | wall s | value | travel min | placed | left out |")
    print("|---|---|---|---|---|---|---|")
    quick = timed(problem, args.quick)
    print(
        f"| week, first proposal | {args.quick} | {quick[0]:.2f} | "
        + " | ".join(map(str, quick[1:]))
        + " |"
    )
    long = timed(problem, args.long)
    print(
        f"| week, long search | {args.long} | {long[0]:.2f} | "
        + " | ".join(map(str, long[1:]))
        + " |"
    )
    gap = 100.0 * (long[1] - quick[1]) / long[1] if long[1] else 0.0
    print(f"\nvalue gap of the first proposal to the long search: {gap:.2f} %")
    walls = []
    for index, day in enumerate(problem.days):
        wall, value, travel, placed, _ = timed(one_day(problem, index), args.day)
        walls.append(wall)
        print(f"day {day.date}: {wall:.2f} s, value {value}, travel {travel}, placed {placed}")
    print(f"one day: max {max(walls):.2f} s, mean {sum(walls) / len(walls):.2f} s")
    nominal = problem.model_copy(deep=True)
    nominal.travel.speed_bands = []
    plan = plan_week(nominal, timedelta(seconds=args.quick))
    late = [v for v in violations(problem, plan) if "arrives" in v or "back at" in v]
    arrivals = sum(1 for d in plan.days for i in d.items if i.travel_minutes_before)
    print(
        f"nominal speeds (no rush-hour bands): value {plan.total_value} vs bound {quick[1]};"
        f" {len(late)} of {arrivals} arrivals/returns late under the real model"
    )


if __name__ == "__main__":
    main()
