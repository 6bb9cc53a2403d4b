"""How far is our day planner from the best-known OPTW scores? (m = 1: one route = one day)

Runs the production model, services.scheduler.planning.plan_day, on the public OPTW
instances in /work/shared/bench/optw (see its README.md), validates every route with the
shared check.py, and prints a Markdown table of score, best-known score and gap.

Adaptation: one instance time unit is 10 (Solomon c/r/rc) or 100 (Cordeau pr) "minutes"
of our model, so the truncated Euclidean travel times of the benchmark are exact integers;
a node's window [O, C] on the latest *start* becomes TimeWindow(O, C + d) on the whole
visit; scores become values; the depot window is the day.

    .venv/bin/python bench/optw_gap.py                      # c1*, r1*, rc1*, 10 s each
    .venv/bin/python bench/optw_gap.py 'c2*' pr01 --time-limit 30 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import math
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.scheduler.planning import (  # noqa: E402
    Candidate,
    DayPlanRequest,
    Location,
    TimeWindow,
    plan_day,
)

OPTW = Path("/work/shared/bench/optw")
DEFAULT_PATTERNS = ("c1*", "r1*", "rc1*")
BASE = datetime(2025, 1, 6, tzinfo=UTC)


@dataclass(frozen=True)
class Node:
    id: int
    x: Decimal
    y: Decimal
    service: Decimal
    score: Decimal
    open: Decimal
    close: Decimal


def parse(path: Path) -> list[Node]:
    """Node lines only (the README warns that header lines 1–2 are unreliable)."""
    nodes = []
    for line in path.read_text(encoding="ascii").splitlines()[2:]:
        tok = line.split()
        if tok:
            nodes.append(Node(int(tok[0]), *(Decimal(t) for t in (tok[1:5] + tok[-2:]))))
    assert [n.id for n in nodes] == list(range(len(nodes))), f"{path}: node ids not consecutive"
    return nodes


class EuclideanTravel:
    """TravelTimeProvider over instance coordinates: distance truncated to `decimals`."""

    def __init__(self, nodes: list[Node], decimals: int) -> None:
        self._scale = 10**decimals
        self._points = {_location(n): (n.x, n.y) for n in nodes}

    def minutes(self, origin: Location, destination: Location, depart_at: datetime) -> int:
        (x1, y1), (x2, y2) = self._points[origin], self._points[destination]
        squared = ((x1 - x2) ** 2 + (y1 - y2) ** 2) * self._scale**2
        return math.isqrt(int(squared.to_integral_value(rounding=ROUND_FLOOR)))


def _location(node: Node) -> Location:
    return Location(latitude=float(node.y), longitude=float(node.x))


def request_for(nodes: list[Node], scale: int, time_limit: float) -> DayPlanRequest:
    def at(units: Decimal) -> datetime:
        minutes = units * scale
        assert minutes == minutes.to_integral_value(), "time data must be multiples of the unit"
        return BASE + timedelta(minutes=int(minutes))

    depot, customers = nodes[0], nodes[1:]
    return DayPlanRequest(
        day_start=at(depot.open),
        day_end=at(depot.close),
        depot=_location(depot),
        candidates=tuple(
            Candidate(
                id=str(n.id),
                label=f"node {n.id}",
                location=_location(n),
                duration=at(n.service) - BASE,
                windows=(TimeWindow(at(n.open), at(n.close + n.service)),),
                value=int(n.score),
            )
            for n in customers
        ),
        time_limit=timedelta(seconds=time_limit),
    )


def run_one(name: str, time_limit: float) -> dict:
    path = OPTW / "instances" / f"{name}.txt"
    nodes = parse(path)
    decimals = 2 if name.startswith("pr") else 1
    request = request_for(nodes, 10**decimals, time_limit)
    began = time.perf_counter()
    plan = plan_day(request, EuclideanTravel(nodes, decimals))
    seconds = time.perf_counter() - began
    route = [0, *(int(s.candidate_id) for s in plan.stops), 0]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"routes": [route]}, fh)
    checked = subprocess.run(
        [sys.executable, str(OPTW / "check.py"), str(path), fh.name, "--m", "1"],
        capture_output=True,
        text=True,
    )
    Path(fh.name).unlink()
    verdict = checked.stdout.strip().splitlines()[-1] if checked.stdout.strip() else checked.stderr
    return {
        "instance": name,
        "n": len(nodes) - 1,
        "score": plan.total_value,
        "seconds": seconds,
        "verdict": verdict if checked.returncode == 0 else f"INFEASIBLE ({verdict})",
        "feasible": checked.returncode == 0,
        "status": plan.solver_status,
    }


def _m1_table(name: str) -> dict[str, dict[str, str]]:
    with open(OPTW / name, newline="") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh) if row["m"] == "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", default=DEFAULT_PATTERNS, help="instance globs")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--jobs", type=int, default=1, help="instances solved in parallel")
    args = parser.parse_args()

    names = sorted(
        p.stem
        for p in (OPTW / "instances").glob("*.txt")
        if any(fnmatch.fnmatch(p.stem, pattern) for pattern in args.patterns)
    )
    bks, peers = _m1_table("bks.csv"), _m1_table("peers.csv")
    import ortools

    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, "
        f"ortools {ortools.__version__}, time limit {args.time_limit:g} s, jobs {args.jobs}"
    )
    print(
        "| instance | n | ours | best known (status) | gap % | s | check.py "
        "| peer pyvrp | peer naive OR-Tools |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    gaps = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, name, args.time_limit) for name in names]
        for future in futures:
            r = future.result()
            best = bks.get(r["instance"], {})
            gap = ""
            if best.get("bks_score"):
                value = 100 * (int(best["bks_score"]) - r["score"]) / int(best["bks_score"])
                gaps.append(value)
                gap = f"{value:.1f}"
            peer = peers.get(r["instance"], {})
            print(
                f"| {r['instance']} | {r['n']} | {r['score']} "
                f"| {best.get('bks_score') or '—'} ({best.get('status', 'n/a')}) | {gap or '—'} "
                f"| {r['seconds']:.1f} | {r['verdict']} "
                f"| {peer.get('pyvrp_score', '—')} | {peer.get('naive_ortools_score', '—')} |",
                flush=True,
            )
    if gaps:
        print(
            f"\nmean gap {sum(gaps) / len(gaps):.2f} % over {len(gaps)} instances with a "
            f"best-known score; max {max(gaps):.1f} %; optimum matched on "
            f"{sum(g <= 0 for g in gaps)}"
        )


if __name__ == "__main__":
    main()
