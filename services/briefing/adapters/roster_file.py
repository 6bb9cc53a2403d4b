"""The council roster the briefing names, read from the packaged sample (fictional) or a file."""

from __future__ import annotations

from pathlib import Path

from services.briefing.domain.council import CouncilDirectory, CouncilMember
from services.sample_data.catalog import DATA_DIR
from services.sample_data.roster import CouncilRoster


def load_council_directory(path: Path | None = None) -> CouncilDirectory:
    """Members from a roster file (the packaged fictional roster unless told otherwise)."""
    source = path or DATA_DIR / "council_roster.json"
    roster = CouncilRoster.model_validate_json(source.read_text(encoding="utf-8"))
    return CouncilDirectory.of(
        CouncilMember(
            id=m.id,
            name=m.name,
            district=m.district,
            committees=tuple(m.committees),
            roles=tuple(str(r) for r in m.roles),
        )
        for m in roster.members
    )
