"""How long does a scheduler wait, and how soon are members told? (the sample week, end to end)

Starts the same Stack as `dongseon up` (embedded Tansu, SQLite, local SMTP sink), loads the
sample week, and for each weekday measures: proposing (solver time limit included),
confirming, and the time from confirmation until the last notice for that day reached the
SMTP server. Prints a Markdown table.

    .venv/bin/python bench/sample_week_latency.py [--time-limit 1]

"candidates" counts the day's open requests and fixed commitments.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from schemas.vocabulary import SEOUL
from services.cli.sample import next_monday  # noqa: E402
from services.cli.stack import Stack, StackOptions  # noqa: E402
from services.common.smtp_sink import read_mailbox  # noqa: E402


async def run(time_limit: float) -> list[dict[str, object]]:
    monday = next_monday(datetime.now(SEOUL).date())
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as scratch:
        options = StackOptions(
            data_dir=Path(scratch),
            sample_week=monday,
            overrides={"solver_time_limit_seconds": time_limit},
        )
        async with Stack(options) as stack:
            transport = httpx.ASGITransport(app=stack.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", timeout=120
            ) as http:
                await asyncio.sleep(8)  # let both consumer groups join before the clock starts
                for offset in range(5):
                    day = monday + timedelta(days=offset)
                    before = len(read_mailbox(stack.maildir))
                    t0 = time.perf_counter()
                    proposal = (
                        await http.post("/api/proposals", json={"plan_date": day.isoformat()})
                    ).json()
                    t1 = time.perf_counter()
                    changes = (await http.post(f"/api/proposals/{proposal['id']}/confirm")).json()[
                        "changes"
                    ]
                    t2 = time.perf_counter()
                    expected = await _expected_notices(http, {c["stop_id"] for c in changes})
                    while len(read_mailbox(stack.maildir)) - before < expected:
                        if time.perf_counter() - t2 > 120:
                            raise TimeoutError(f"{day}: notices did not all arrive")
                        await asyncio.sleep(0.05)
                    t3 = time.perf_counter()
                    rows.append(
                        {
                            "day": f"{day:%m-%d %a}",
                            "candidates": len(proposal["stops"]) + len(proposal["dropped"]),
                            "stops": len(proposal["stops"]),
                            "dropped": len(proposal["dropped"]),
                            "notices": expected,
                            "propose s": f"{t1 - t0:.2f}",
                            "confirm s": f"{t2 - t1:.3f}",
                            "confirm→last mail s": f"{t3 - t2:.2f}",
                        }
                    )
    return rows


async def _expected_notices(http: httpx.AsyncClient, stop_ids: set[str]) -> int:
    """Notices the notifier queued for these stops (polled until every briefing arrived)."""
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        briefed = [
            (await http.get(f"/api/briefings/{stop_id}")).status_code == 200 for stop_id in stop_ids
        ]
        if all(briefed):
            await asyncio.sleep(0.5)  # the notifier queues right after the briefing is published
            notices = (await http.get("/api/notices", params={"limit": 1000})).json()
            return sum(1 for n in notices if n["stop_id"] in stop_ids)
        await asyncio.sleep(0.05)
    raise TimeoutError("briefings did not arrive")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=1.0, help="solver seconds per day")
    args = parser.parse_args()
    rows = asyncio.run(run(args.time_limit))
    print(
        f"python {platform.python_version()}, {platform.machine()}, solver limit {args.time_limit} s\n"
    )
    headers = list(rows[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in headers) + " |")


if __name__ == "__main__":
    main()
