"""How long does a day's briefings take? (issue 7: 10 stops in under a second)

Builds the briefing service on a scratch SQLite database exactly as it runs (migrations,
the knowledge store with its records, the fictional sample of members' requests), then
confirms a day of 10 stops through the handler (`itinerary.confirmed` → 10 documents stored
and 10 `briefing.ready` staged) and renders the day's booklet. The Korean tokeniser is
loaded once before timing (it is loaded once per process). Prints a Markdown table.

    nice -n 19 .venv/bin/python bench/briefing_day.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.events import ITINERARY_CONFIRMED  # noqa: E402
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot  # noqa: E402
from services.briefing import handlers  # noqa: E402
from services.briefing.adapters.pdf import day_pdf  # noqa: E402
from services.briefing.bootstrap import build_briefing_service  # noqa: E402
from services.briefing.domain.render_html import render_day_html  # noqa: E402
from services.briefing.sample_requests import load_sample_member_requests  # noqa: E402
from services.briefing.sample_week import sample_stops  # noqa: E402
from services.briefing.settings import BriefingSettings  # noqa: E402
from services.sample_data.catalog import load_catalog  # noqa: E402

MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 29, tzinfo=UTC)


def ten_stops(run: int) -> list[StopChange]:
    """Ten stops of the sample week, placed on one day an hour apart (fresh ids per run)."""
    catalog = load_catalog()
    places = {p.name: p for p in catalog.places}
    day = datetime(2026, 12, 1, 0, tzinfo=UTC)
    changes = []
    for i, facts in enumerate(sample_stops(MONDAY)[:10]):
        start = day + timedelta(hours=i)
        place = places.get(facts.place_name)
        snapshot = StopSnapshot(
            stop_id=f"stop-bench-{run}-{i}",
            version=1,
            kind="visit",
            title=facts.title,
            purpose=facts.purpose,
            category=facts.category,
            policy_area=facts.policy_area,
            place_name=facts.place_name,
            district=facts.district,
            latitude=place.latitude if place else 37.5663,
            longitude=place.longitude if place else 126.9779,
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            public=facts.public,
            important=facts.important,
            requesting_department=facts.requesting_department,
        )
        changes.append(StopChange(change="scheduled", stop=snapshot))
    return changes


def confirmed(changes: list[StopChange], run: int) -> Any:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=run + 1,
        proposal_id=f"pr-{run}",
        confirmed_by="bench",
        changes=changes,
    )
    return ITINERARY_CONFIRMED.envelope(payload, producer="bench", correlation_id=f"b-{run}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        service = build_briefing_service(BriefingSettings(data_dir=Path(scratch)), "127.0.0.1:1")
        started = time.perf_counter()
        service.migrate()
        migrate_s = time.perf_counter() - started
        load_sample_member_requests(service, now=NOW)
        started = time.perf_counter()
        service.record_source.free_text("노원 송전선로 지중화", 5, district=None)  # load Kiwi
        warm_s = time.perf_counter() - started

        build, render = [], []
        for run in range(args.repeat):
            event = confirmed(ten_stops(run), run)
            started = time.perf_counter()
            built = handlers.when_itinerary_confirmed_build_briefings(
                service.uow(),
                event,
                now=NOW,
                records=service.record_source,
                council=service.council,
            )
            build.append(time.perf_counter() - started)
            assert built == 10, built
            started = time.perf_counter()
            documents = handlers.day_documents(service.uow(), date(2026, 12, 1))
            render_day_html(date(2026, 12, 1), documents[-10:])
            render.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf = day_pdf(date(2026, 12, 1), documents[-10:])
        pdf_s = time.perf_counter() - started
        service.engine.dispose()

    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite; {args.repeat} runs of 10 stops\n"
    )
    print("| step | median | worst |")
    print("|---|---|---|")
    print(
        f"| build + store 10 briefings (one `itinerary.confirmed`) | "
        f"{statistics.median(build) * 1000:.0f} ms | {max(build) * 1000:.0f} ms |"
    )
    print(
        f"| read the day back + render the HTML booklet | "
        f"{statistics.median(render) * 1000:.0f} ms | {max(render) * 1000:.0f} ms |"
    )
    print(
        f"| PDF booklet (10 stops, font embedded; once) | {pdf_s * 1000:.0f} ms | "
        f"{len(pdf) // 1024} KiB |"
    )
    print(f"| one-off: migrate + load knowledge records | {migrate_s * 1000:.0f} ms | |")
    print(f"| one-off: Korean tokeniser load + index | {warm_s * 1000:.0f} ms | |")


if __name__ == "__main__":
    main()
