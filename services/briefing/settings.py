"""Briefing settings (env prefix BRIEFING_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from services.common.settings import RuntimeSettings


class BriefingSettings(RuntimeSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore", populate_by_name=True)

    council_roster_path: Path | None = None  # default: the packaged (fictional) roster
