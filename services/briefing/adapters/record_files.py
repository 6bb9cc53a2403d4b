"""Reads the knowledge base's source files: one JSON file of records per report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from services.briefing.domain.records import Document, Record, RecordSet

PACKAGED_DIR = "knowledge/records"


def load_record_sets(directory: Path | None = None) -> list[RecordSet]:
    """Every `*.json` record set of the directory (the packaged one by default), by name."""
    folder: Traversable = (
        resources.files("services.briefing").joinpath(PACKAGED_DIR)
        if directory is None
        else Path(directory)
    )
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    sets = []
    for file in files:
        try:
            sets.append(parse_record_set(json.loads(file.read_text("utf-8"))))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"invalid record set {file.name}: {error}") from error
    return sets


def parse_record_set(document: Mapping[str, Any]) -> RecordSet:
    """Turn one decoded source file into a RecordSet."""
    meta = document["document"]
    return RecordSet(
        name=document["record_set"],
        document=Document(
            id=meta["id"], title=meta["title"], report_date=date.fromisoformat(meta["report_date"])
        ),
        records=tuple(Record.from_dict(raw) for raw in document["records"]),
    )
