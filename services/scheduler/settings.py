"""Scheduler settings (env prefix SCHEDULER_)."""

from __future__ import annotations

from datetime import time

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import RuntimeSettings


class SchedulerSettings(RuntimeSettings):
    model_config = SettingsConfigDict(
        env_prefix="SCHEDULER_", extra="ignore", populate_by_name=True
    )

    day_start: time = time(7, 0)
    day_end: time = time(22, 0)
    depot_name: str = "서울시청"
    depot_district: str = "중구"
    depot_latitude: float = 37.5663
    depot_longitude: float = 126.9779
    # a proposal searches this long for each of its days, and never longer than the cap in
    # all: a day answers in under 1 s, a week in under 5 s with the value of a 60 s search
    # (bench/RESULTS.md, bench/week_service.py)
    solver_time_limit_seconds: float = Field(default=0.8, gt=0)
    solver_proposal_limit_seconds: float = Field(default=4.0, gt=0)
    # every day of a range proposal (the week planner): lunch window, its length, visit limit
    lunch_earliest_start: time = time(11, 30)
    lunch_latest_end: time = time(13, 30)
    lunch_minutes: int = 60
    max_visits_per_day: int = 8
    planner_workers: int = 1  # solver processes; each proposal being planned holds one
    travel_provider: str = "estimate"  # "estimate" | "osrm"
    osrm_url: str = "http://127.0.0.1:5000"
