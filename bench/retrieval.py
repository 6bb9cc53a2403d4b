"""How good and how fast is the knowledge base's Korean retrieval? (issue 7)

Runs the labelled queries (tests/unit/briefing/queries_knowledge.json) against every record
of the packaged source files, ranked four ways: kiwi morphemes + BM25 + structured boosts
(what the API serves), the same without boosts, BM25 on whitespace words (no morphology),
and plain substring matching (the baseline: records ranked by how many query words occur in
them). Prints precision@3, recall@5 and MRR as a Markdown table, then the latency per query
(search only, index warm) and the one-off costs (kiwi load, index build).

    .venv/bin/python bench/retrieval.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.briefing.adapters import kiwi_tokenizer  # noqa: E402
from services.briefing.adapters.record_files import load_record_sets  # noqa: E402
from services.briefing.domain import retrieval  # noqa: E402
from services.briefing.domain.retrieval import RecordIndex, search, substring_search  # noqa: E402

LABELLED = ROOT / "tests" / "unit" / "briefing" / "queries_knowledge.json"
Ranker = Callable[[str], list[str]]
NO_BOOSTS = {
    name: 0.0
    for name in (
        "DISTRICT_BOOST",
        "PLACE_BOOST",
        "PROGRAMME_BOOST",
        "CATEGORY_BOOST",
        "POLICY_AREA_BOOST",
    )
}


def quality(rank: Ranker, queries: list[dict[str, object]]) -> tuple[float, float, float]:
    """precision@3, recall@5, MRR over the first 10."""
    p3 = r5 = mrr = 0.0
    for item in queries:
        relevant = set(item["relevant"])  # type: ignore[call-overload]
        got = rank(str(item["q"]))[:10]
        p3 += len(set(got[:3]) & relevant) / 3
        r5 += len(set(got[:5]) & relevant) / len(relevant)
        mrr += next((1 / (i + 1) for i, rid in enumerate(got) if rid in relevant), 0.0)
    n = len(queries)
    return p3 / n, r5 / n, mrr / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over the queries")
    args = parser.parse_args()

    queries = json.loads(LABELLED.read_text(encoding="utf-8"))["queries"]
    records = [r for s in load_record_sets() for r in s.records]

    def uncached(text: str) -> list[str]:
        """The served tokeniser without its cache, so every search analyses its query."""
        return list(kiwi_tokenizer._terms.__wrapped__(text))

    started = time.perf_counter()
    uncached("인왕산 산불")
    kiwi_load = time.perf_counter() - started
    started = time.perf_counter()
    index = RecordIndex(records, uncached, "bench")
    build = time.perf_counter() - started
    words = RecordIndex(records, str.split, "bench-words")

    def ours(q: str) -> list[str]:
        return [h.record.id for h in search(index, q, 10)]

    def unboosted(q: str) -> list[str]:
        with mock.patch.multiple(retrieval, **NO_BOOSTS):
            return [h.record.id for h in search(index, q, 10)]

    rankers: list[tuple[str, Ranker]] = [
        ("kiwi + BM25 + structured boosts (served)", ours),
        ("kiwi + BM25, no boosts", unboosted),
        (
            "BM25 on whitespace words + boosts",
            lambda q: [h.record.id for h in search(words, q, 10)],
        ),
        (
            "substring matching (baseline)",
            lambda q: [r.id for r in substring_search(records, q, 10)],
        ),
    ]
    print(f"{len(queries)} labelled queries, {len(records)} records")
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.system()}")
    print()
    print("| ranking | precision@3 | recall@5 | MRR |")
    print("|---|---|---|---|")
    for name, rank in rankers:
        p3, r5, mrr = quality(rank, queries)
        print(f"| {name} | {p3:.3f} | {r5:.3f} | {mrr:.3f} |")
    ceiling = sum(min(3, len(q["relevant"])) / 3 for q in queries) / len(queries)
    print(f"\nprecision@3 ceiling (queries with fewer than 3 relevant records): {ceiling:.3f}")

    samples = []
    for _ in range(args.repeat):
        for item in queries:
            started = time.perf_counter()
            search(index, item["q"], 10)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    print(
        f"\nlatency per query (ms, {len(samples)} searches, query analysis included):"
        f" mean {statistics.fmean(samples):.2f}, median {statistics.median(samples):.2f},"
        f" p95 {p95:.2f}, max {samples[-1]:.2f}"
    )
    print(f"one-off: kiwi load + first analysis {kiwi_load:.2f} s; index build {build:.2f} s")


if __name__ == "__main__":
    main()
