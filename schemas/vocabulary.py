"""Codes shared by the contracts: visit categories, policy areas, stop changes, the home zone."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

SEOUL_TIMEZONE_NAME = "Asia/Seoul"
SEOUL = ZoneInfo(SEOUL_TIMEZONE_NAME)
"""The office's home zone: times are stored in UTC and shown to people in Seoul time."""


class VisitCategory(StrEnum):
    """What kind of stop this is (from the secretariat's reports)."""

    DISASTER_SAFETY = "disaster_safety"
    LIVELIHOOD = "livelihood"
    VULNERABLE_GROUPS = "vulnerable_groups"
    GROUNDBREAKING = "groundbreaking"
    PRESS = "press"
    COUNCIL_MEETING = "council_meeting"
    INTERGOVERNMENTAL = "intergovernmental"
    DISTRICT_COOPERATION = "district_cooperation"
    FIXED_COMMITMENT = "fixed_commitment"


class PolicyArea(StrEnum):
    """Policy area; the notifier maps it to the council's standing committee."""

    ADMINISTRATION = "administration"
    ECONOMY = "economy"
    ENVIRONMENT = "environment"
    CULTURE = "culture"
    WELFARE = "welfare"
    HOUSING = "housing"
    URBAN_PLANNING = "urban_planning"
    TRANSPORT = "transport"
    EDUCATION = "education"
    SAFETY = "safety"


class StopChangeKind(StrEnum):
    """How a stop differs from the previously confirmed plan."""

    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


SEOUL_DISTRICTS: tuple[str, ...] = (
    "종로구",
    "중구",
    "용산구",
    "성동구",
    "광진구",
    "동대문구",
    "중랑구",
    "성북구",
    "강북구",
    "도봉구",
    "노원구",
    "은평구",
    "서대문구",
    "마포구",
    "양천구",
    "강서구",
    "구로구",
    "금천구",
    "영등포구",
    "동작구",
    "관악구",
    "서초구",
    "강남구",
    "송파구",
    "강동구",
)
OUTSIDE_SEOUL = "서울 외"
