"""The fixed parts of the realistic week: commitments, mandatory requests, extra venues.

Modelled on the reports: the Tuesday 10:00 cabinet meeting in Yongsan (weekly, with a
cancelled week), the Monday staff meeting, a plenary day, the Sejong 11:00 and Daejeon 14:00
agreements on one day, a luncheon, and groundbreakings the mayor must attend. `day` is
0 = Monday … 6 = Sunday; times are Seoul wall-clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.vocabulary import VisitCategory

C = VisitCategory


@dataclass(frozen=True)
class Special:
    ref: str
    day: int
    title: str
    purpose: str
    category: VisitCategory
    policy_area: str
    venue: str
    windows: tuple[tuple[str, str], ...]
    department: str
    duration_minutes: int = 60
    priority: int = 5
    leadership: bool = False  # the council leadership must attend
    rrule: str | None = None
    exdays: tuple[int, ...] = ()  # days (from Monday) a recurring commitment is cancelled
    covers_lunch: bool = False
    public: bool = True
    important: bool = True


#: Venues that are neither packaged places nor drawn near a district office:
#: key → (name, district, latitude, longitude).
SPECIAL_VENUES: dict[str, tuple[str, str, float, float]] = {
    "mayor-residence": ("서울시장 공관", "종로구", 37.5826, 126.985),
    "sangam-broadcast-studio": ("상암 방송사 스튜디오", "마포구", 37.5794, 126.8895),
    "government-complex-seoul": ("정부서울청사", "종로구", 37.5755, 126.9753),
}

COMMITMENTS: tuple[Special, ...] = (
    Special(
        "cm-staff",
        0,
        "주간 간부회의",
        "실·본부·국장과 주간 시정현안과 주요 일정을 점검한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "city-hall-situation-room",
        (("08:00", "09:00"),),
        "기획조정실",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        public=False,
        important=False,
    ),
    Special(
        "cm-cabinet",
        1,
        "국무회의 참석",
        "대통령 주재 국무회의에 참석하여 정부 의안에 대한 서울시 의견을 개진한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "yongsan-presidential-office",
        (("10:00", "11:30"),),
        "기획조정실",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdays=(22,),
        important=False,
    ),
    Special(
        "cm-luncheon",
        1,
        "언론사 논설위원 오찬 간담회",
        "주요 시정 방향을 설명하고 언론의 제언을 듣는다.",
        C.FIXED_COMMITMENT,
        "administration",
        "city-hall-8f-meeting-room",
        (("12:00", "13:30"),),
        "대변인",
        covers_lunch=True,
        public=False,
        important=False,
    ),
    Special(
        "cm-plenary",
        2,
        "시의회 본회의 시정질문 답변",
        "정례회 본회의에서 시의원들의 시정질문에 답변한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "seoul-council",
        (("10:00", "17:00"),),
        "대외협력과",
        covers_lunch=True,
    ),
    Special(
        "cm-sejong",
        3,
        "세종특별자치시 상생협력 업무협약",
        "행정수도 완성과 수도권·충청권 상생 협력을 위한 업무협약을 체결한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "sejong-city-hall",
        (("11:00", "12:00"),),
        "대외협력과",
    ),
    Special(
        "cm-daejeon",
        3,
        "대전광역시 상생협력 업무협약",
        "과학기술·교통 분야 협력을 위한 업무협약을 체결한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "daejeon-city-hall",
        (("14:00", "15:00"),),
        "대외협력과",
    ),
    Special(
        "cm-briefing",
        4,
        "정례 기자브리핑",
        "한 주의 주요 시정 소식을 브리핑한다.",
        C.FIXED_COMMITMENT,
        "administration",
        "city-hall-briefing-room",
        (("09:30", "10:00"),),
        "대변인",
        important=False,
    ),
)

MANDATORY: tuple[Special, ...] = (
    Special(
        "must-wirye",
        0,
        "위례선 트램 착공식",
        "위례선 트램 착공을 알리고 공사 기간 주민 불편 최소화를 약속한다.",
        C.GROUNDBREAKING,
        "transport",
        "wirye-central-plaza",
        (("10:00", "11:30"),),
        "도시기반시설본부",
    ),
    Special(
        "must-council-leaders",
        0,
        "의장단 정례 간담회(필수)",
        "정례회 의사일정과 예산안 심사 일정을 의장단과 협의한다.",
        C.COUNCIL_MEETING,
        "administration",
        "seoul-council",
        (("14:00", "17:30"),),
        "대외협력과",
        leadership=True,
        public=False,
    ),
    Special(
        "must-inwangsan",
        1,
        "인왕산 산불 피해지 복구 현장 점검",
        "산불 피해지 복구 진행 상황과 재발 방지 대책을 현장에서 점검한다.",
        C.DISASTER_SAFETY,
        "safety",
        "inwangsan",
        (("13:30", "17:00"),),
        "푸른도시여가국",
    ),
    Special(
        "must-wolgye",
        4,
        "노원 송전선로 지중화사업 착공식",
        "특고압 송전선로 지중화 착공을 알리고 주민 숙원 해결을 약속한다.",
        C.GROUNDBREAKING,
        "urban_planning",
        "wolgye-station-park-and-ride",
        (("15:30", "17:30"),),
        "도시기반시설본부",
    ),
    Special(
        "must-district-heads",
        4,
        "시장-구청장 정책협의회",
        "25개 자치구청장과 겨울철 한파 대책과 시·구 협력 과제를 협의한다.",
        C.DISTRICT_COOPERATION,
        "administration",
        "city-hall-conference-hall",
        (("10:30", "12:30"),),
        "자치행정과",
        duration_minutes=90,
    ),
)
