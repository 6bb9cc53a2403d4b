"""Fail when deploy/topics.sh and schemas/topics.py disagree on topic names or partitions.

Run from the repository root: `python deploy/check_topics.py`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from schemas.topics import all_topics

SCRIPT = Path(__file__).with_name("topics.sh")
ENTRY = re.compile(r'^\s*"(?P<name>[\w.\-]+) (?P<partitions>\d+) \w+"\s*$')


def script_topics() -> dict[str, int]:
    """The (name, partitions) pairs listed in the TOPICS array of topics.sh."""
    found = (ENTRY.match(line) for line in SCRIPT.read_text(encoding="utf-8").splitlines())
    return {m["name"]: int(m["partitions"]) for m in found if m}


def main() -> int:
    expected = {topic.name: topic.partitions for topic in all_topics()}
    actual = script_topics()
    if actual == expected:
        print(f"topics.sh matches schemas/topics.py ({len(expected)} topics)")
        return 0
    for name in sorted(expected.keys() | actual.keys()):
        if expected.get(name) != actual.get(name):
            print(f"{name}: schemas/topics.py={expected.get(name)} topics.sh={actual.get(name)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
