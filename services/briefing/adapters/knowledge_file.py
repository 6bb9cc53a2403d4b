"""Reads the knowledge base from its JSON file (the packaged one unless told otherwise)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from services.briefing.domain.knowledge import KnowledgeBase, KnowledgeEntry, Source

PACKAGED_FILE = "knowledge/seoul_secretariat.json"


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; its version is the hash of its content."""
    if path is None:
        text = resources.files("services.briefing").joinpath(PACKAGED_FILE).read_text("utf-8")
        origin = f"services.briefing/{PACKAGED_FILE}"
    else:
        text = Path(path).read_text(encoding="utf-8")
        origin = str(path)
    try:
        return parse_knowledge_base(json.loads(text))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"invalid knowledge base {origin}: {error}") from error


def parse_knowledge_base(document: Mapping[str, Any]) -> KnowledgeBase:
    """Turn the decoded JSON document ({"entries": [...]}) into a KnowledgeBase."""
    return KnowledgeBase.from_entries(_entry(raw) for raw in document["entries"])


def _entry(raw: Mapping[str, Any]) -> KnowledgeEntry:
    source = raw["source"]
    try:
        return KnowledgeEntry(
            id=raw["id"],
            title=raw["title"],
            text=raw["text"],
            source=Source(
                document_id=source["document_id"],
                document_title=source["document_title"],
                report_date=date.fromisoformat(source["report_date"]),
                section=source["section"],
                excerpt=source["excerpt"],
            ),
            categories=_strings(raw, "categories"),
            policy_areas=_strings(raw, "policy_areas"),
            districts=_strings(raw, "districts"),
            keywords=_strings(raw, "keywords"),
        )
    except KeyError as error:
        raise ValueError(f"entry {raw.get('id')!r} lacks {error}") from error


def _strings(raw: Mapping[str, Any], field: str) -> frozenset[str]:
    values = raw.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"entry {raw.get('id')!r}: {field} must be a list of strings")
    return frozenset(values)
