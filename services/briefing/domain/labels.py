"""The contract's stop categories and policy areas in Korean, as briefings show them."""

from __future__ import annotations

CATEGORY_LABELS: dict[str, str] = {
    "disaster_safety": "재난·안전",
    "livelihood": "민생",
    "vulnerable_groups": "약자와의 동행",
    "groundbreaking": "착공·개통",
    "press": "언론 발표",
    "council_meeting": "시의회 간담회",
    "intergovernmental": "대정부·지자체 협력",
    "district_cooperation": "자치구 협력",
    "fixed_commitment": "고정 일정",
}
"""Stop categories (the codes of ``schemas.vocabulary.VisitCategory``) in Korean."""

POLICY_AREA_LABELS: dict[str, str] = {
    "administration": "행정",
    "economy": "경제",
    "environment": "환경",
    "culture": "문화",
    "welfare": "복지",
    "housing": "주택",
    "urban_planning": "도시계획",
    "transport": "교통",
    "education": "교육",
    "safety": "안전",
}
"""Policy areas (the codes of ``schemas.vocabulary.PolicyArea``) in Korean."""
