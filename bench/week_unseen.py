"""How good is a week proposal on weeks the planner was not tuned on?

The seeded synthetic weeks (services/scheduler/planning/week/synthetic.py, 150 requests)
whose mandatory items fit (the seeds in 1..59 where the mandatory items alone have a
feasible week: 14 of them), each planned by `plan_week` at --limit seconds (a week's
proposal budget) and, with --long, at that many seconds too; every plan is checked by
week/check.py. --refine-share sets the share of the budget given to the decomposition phase
(week/refine.py; 0 turns it off) to compare.

    .venv/bin/python bench/week_unseen.py [--limit 4] [--long 60] [--refine-share 0] [--seeds 1 59]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.scheduler.planning.week import plan as week_plan  # noqa: E402
from services.scheduler.planning.week.check import violations  # noqa: E402
from services.scheduler.planning.week.horizon import compile_problem  # noqa: E402
from services.scheduler.planning.week.solver import WeekModel, leg_bounds  # noqa: E402
from services.scheduler.planning.week.synthetic import synthetic_week  # noqa: E402


def mandatory_fit(seed: int) -> bool:
    """The seed's mandatory items alone have a feasible week."""
    c = compile_problem(synthetic_week(seed=seed))
    if any(r.mandatory and r.id not in c.request_nodes for r in c.problem.requests):
        return False
    mandatory = {i for i in range(2 * len(c.days), len(c.nodes)) if c.nodes[i].mandatory}
    model = WeekModel(c, leg_bounds(c), only=mandatory)
    found = model.solve(timedelta(seconds=1), week_plan.WEEK_SETTINGS, first_only=True)
    return found is not None


def planned(seed: int, seconds: float) -> tuple[int, float, int]:
    problem = synthetic_week(seed=seed)
    started = time.perf_counter()
    plan = week_plan.plan_week(problem, timedelta(seconds=seconds))
    wall = time.perf_counter() - started
    return plan.total_value, wall, len(violations(problem, plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=4.0, help="the proposal budget, seconds")
    parser.add_argument("--long", type=float, default=0.0, help="a long search too, seconds")
    parser.add_argument(
        "--refine-share", type=float, help="share of the budget for week/refine.py (0: none)"
    )
    parser.add_argument("--seeds", type=int, nargs=2, default=(1, 59), help="first, last seed")
    args = parser.parse_args()
    if args.refine_share is not None:
        week_plan.REFINE_SHARE = args.refine_share
    seeds = [s for s in range(args.seeds[0], args.seeds[1] + 1) if mandatory_fit(s)]
    budgets = [args.limit, *([args.long] if args.long else [])]
    head = " | ".join(f"{b:g} s value | wall s | violations" for b in budgets)
    print(f"refine share {week_plan.REFINE_SHARE:g}\n\n| seed | {head} |")
    print("|---|" + "---|---|---|" * len(budgets))
    totals = [0] * len(budgets)
    gaps: list[float] = []
    for seed in seeds:
        cells, values = [], []
        for k, budget in enumerate(budgets):
            value, wall, bad = planned(seed, budget)
            totals[k] += value
            values.append(value)
            cells.append(f"{value} | {wall:.2f} | {bad}")
        if len(values) == 2 and values[1]:
            gaps.append(100.0 * (values[1] - values[0]) / values[1])
        print(f"| {seed} | {' | '.join(cells)} |", flush=True)
    print(f"| total | {' | '.join(f'{t} | |' for t in totals)} |")
    if gaps:
        print(
            f"\ngap of {args.limit:g} s to {args.long:g} s: mean {sum(gaps) / len(gaps):.2f} %, "
            f"max {max(gaps):.2f} %, equal on {sum(g <= 0 for g in gaps)} of {len(gaps)}"
        )


if __name__ == "__main__":
    main()
