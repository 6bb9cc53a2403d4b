"""How close is the scheduler's routing core to the best-known OPTW / TOPTW scores?

Runs `services.cli.optw.solve_optw_file` (the same core as the day planner) on the
public instances in ../shared/bench/optw (override with DONGSEON_OPTW_DIR): every
instance for m = 1 and the peers' subset for m = 2–4. Each answer is validated by the
shared check.py; the table gives score, gap to the best-known score and both peers'
scores from peers.csv, then mean/max gap by m and the mean score beside PyVRP's.

    .venv/bin/python bench/optw.py                        # everything, 10 s each (~15 min)
    .venv/bin/python bench/optw.py 'c1*' pr01 --m 1 --time-limit 3
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.cli.optw import solve_optw_file  # noqa: E402

OPTW = Path(os.environ.get("DONGSEON_OPTW_DIR", ROOT.parent / "shared" / "bench" / "optw"))


def _table(name: str) -> dict[tuple[str, int], dict[str, str]]:
    with open(OPTW / name, newline="") as fh:
        return {(row["instance"], int(row["m"])): row for row in csv.DictReader(fh)}


def run_one(name: str, m: int, time_limit: float) -> dict:
    path = OPTW / "instances" / f"{name}.txt"
    began = time.perf_counter()
    solution = solve_optw_file(path, time_limit, routes=m)
    seconds = time.perf_counter() - began
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"routes": solution["routes"]}, fh)
    checked = subprocess.run(
        [sys.executable, str(OPTW / "check.py"), str(path), fh.name, "--m", str(m)],
        capture_output=True,
        text=True,
    )
    Path(fh.name).unlink()
    verdict = (checked.stdout.strip() or checked.stderr.strip()).splitlines()[-1]
    feasible = checked.returncode == 0 and f"score={solution['score']} " in verdict + " "
    return {
        "score": solution["score"],
        "seconds": seconds,
        "feasible": feasible,
        "verdict": verdict,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("patterns", nargs="*", default=["*"], help="instance globs")
    parser.add_argument("--m", type=int, action="append", help="route counts (default 1–4)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    args = parser.parse_args()

    bks, peers = _table("bks.csv"), _table("peers.csv")
    names = sorted(
        p.stem
        for p in (OPTW / "instances").glob("*.txt")
        if any(fnmatch.fnmatch(p.stem, pattern) for pattern in args.patterns)
    )
    runs = [(n, 1) for n in names] + [(n, m) for m in (2, 3, 4) for n in names if (n, m) in peers]
    runs = [(n, m) for n, m in runs if m in (args.m or [1, 2, 3, 4])]
    import ortools

    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, "
        f"ortools {ortools.__version__}, {os.cpu_count()} cpus, {args.time_limit:g} s each"
    )
    print(
        "| instance | m | ours | best known (status) | gap % | s | check.py | PyVRP | naive OR-Tools |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    gaps: dict[int, list[float]] = defaultdict(list)
    ours: dict[int, list[int]] = defaultdict(list)
    theirs: dict[int, list[int]] = defaultdict(list)
    infeasible = 0
    for name, m in runs:
        r = run_one(name, m, args.time_limit)
        infeasible += not r["feasible"]
        best = bks.get((name, m), {})
        peer = peers.get((name, m), {})
        gap = "—"
        if best.get("bks_score"):
            value = 100 * (int(best["bks_score"]) - r["score"]) / int(best["bks_score"])
            gaps[m].append(value)
            gap = f"{value:.1f}"
        if peer.get("pyvrp_score"):
            ours[m].append(r["score"])
            theirs[m].append(int(peer["pyvrp_score"]))
        print(
            f"| {name} | {m} | {r['score']} | {best.get('bks_score') or '—'} "
            f"({best.get('status', 'n/a')}) | {gap} | {r['seconds']:.1f} "
            f"| {'ok' if r['feasible'] else 'INFEASIBLE: ' + r['verdict']} "
            f"| {peer.get('pyvrp_score', '—')} | {peer.get('naive_ortools_score', '—')} |",
            flush=True,
        )
    print("\n| m | instances | mean gap % | max gap % | mean score ours | mean score PyVRP |")
    print("|---|---|---|---|---|---|")
    for m in sorted(ours):
        g = gaps.get(m, [])
        gap_mean = f"{sum(g) / len(g):.2f} ({len(g)})" if g else "—"
        gap_max = f"{max(g):.1f}" if g else "—"
        print(
            f"| {m} | {len(ours[m])} | {gap_mean} | {gap_max} "
            f"| {sum(ours[m]) / len(ours[m]):.1f} | {sum(theirs[m]) / len(theirs[m]):.1f} |"
        )
    print(f"\ninfeasible answers: {infeasible}")


if __name__ == "__main__":
    main()
