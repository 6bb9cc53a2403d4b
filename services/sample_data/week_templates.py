"""Templates of the realistic sample week, modelled on the secretariat's reports.

Each template is a kind of request the office receives (a market visit, a flood-pump
inspection, a council round-table…) with Korean title and purpose patterns; `{district}` is the
district, `{venue}` the venue drawn for it and `{topic}` a press topic. The generator
(:mod:`services.sample_data.full_week`) places them on days and districts with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.vocabulary import PolicyArea, VisitCategory

C = VisitCategory
P = PolicyArea


@dataclass(frozen=True)
class Kind:
    """A kind of request: who asks, what it is called, how long, how urgent."""

    category: VisitCategory
    policy_area: PolicyArea
    department: str
    title: str
    purpose: str
    venues: tuple[str, ...]
    durations: tuple[int, ...]
    priorities: tuple[int, ...]
    slots: tuple[str, ...] = ("morning", "afternoon")
    public: bool = True
    important: bool = False
    topics: tuple[str, ...] = ()  # what `{topic}` is drawn from (default: TOPICS)


#: Named local time windows (start, end) a request may allow.
SLOTS: dict[str, tuple[str, str]] = {
    "early": ("08:00", "10:00"),
    "morning": ("09:00", "12:00"),
    "late_morning": ("10:30", "12:30"),
    "afternoon": ("13:30", "17:30"),
    "late_afternoon": ("15:00", "18:30"),
    "evening": ("17:30", "20:00"),
    "weekend_day": ("10:00", "17:00"),
}

KINDS: tuple[Kind, ...] = (
    Kind(
        C.DISASTER_SAFETY,
        P.SAFETY,
        "재난안전관리실",
        "{venue} 안전 현장점검",
        "{venue}의 시설 안전관리 실태를 점검하고 현장 근무자를 격려한다.",
        (
            "빗물펌프장",
            "급경사지 정비현장",
            "노후 교량",
            "지하차도 침수 대비 시설",
            "재난안전상황실",
        ),
        (40, 60),
        (3, 4, 5),
        ("morning", "afternoon"),
    ),
    Kind(
        C.DISASTER_SAFETY,
        P.SAFETY,
        "소방재난본부",
        "{venue} 화재 대비 점검",
        "겨울철 화재 취약시설인 {venue}의 소방 설비와 대피 동선을 확인한다.",
        ("전통시장", "쪽방촌", "고시원 밀집지역", "노후 공동주택"),
        (40, 50),
        (3, 4),
        ("morning", "afternoon", "evening"),
    ),
    Kind(
        C.DISASTER_SAFETY,
        P.ENVIRONMENT,
        "푸른도시여가국",
        "{venue} 산불 예방 현장 점검",
        "{venue} 일대의 산불 감시 체계와 진화 장비 배치를 점검한다.",
        ("근린공원", "등산로 입구", "산림 인접 주거지"),
        (50, 60),
        (2, 3, 4),
        ("morning",),
    ),
    Kind(
        C.LIVELIHOOD,
        P.ECONOMY,
        "노동·공정·상생정책관",
        "{venue} 상인 간담회",
        "{venue} 상인들의 경기 침체 애로사항을 듣고 소상공인 지원책을 설명한다.",
        ("중앙시장", "골목형상점가", "전통시장", "지하상가"),
        (40, 60),
        (2, 3, 4),
        ("morning", "afternoon"),
    ),
    Kind(
        C.LIVELIHOOD,
        P.ECONOMY,
        "경제정책실",
        "{venue} 현장 방문",
        "{venue}의 고용 현황을 살피고 청년 일자리 지원 사업의 성과를 점검한다.",
        ("청년창업센터", "일자리플러스센터", "소공인 특화지원센터", "사회적경제 지원센터"),
        (40, 60),
        (2, 3),
        ("morning", "afternoon", "late_afternoon"),
    ),
    Kind(
        C.LIVELIHOOD,
        P.WELFARE,
        "시민건강국",
        "{venue} 운영 현장 점검",
        "{venue}의 진료·돌봄 서비스 운영 상황과 의료진 애로사항을 점검한다.",
        ("보건소", "공공야간약국", "우리동네키움센터", "치매안심센터"),
        (40, 50),
        (2, 3, 4),
        ("morning", "afternoon"),
    ),
    Kind(
        C.VULNERABLE_GROUPS,
        P.WELFARE,
        "복지기획관",
        "약자와의 동행: {venue} 방문",
        "{venue_eul} 찾아 '약자와의 동행' 사업의 현장 체감도를 듣고 개선점을 찾는다.",
        ("종합사회복지관", "노인복지관", "장애인복지관", "쪽방상담소", "노숙인 자활시설"),
        (50, 60, 90),
        (3, 4, 5),
        ("morning", "afternoon", "late_afternoon"),
    ),
    Kind(
        C.VULNERABLE_GROUPS,
        P.WELFARE,
        "여성가족실",
        "{venue} 방문 및 간담회",
        "출산·양육 지원 정책에 대한 {venue} 이용자들의 의견을 듣는다.",
        ("공동육아나눔터", "산후조리원", "다함께돌봄센터", "한부모가족 복지시설"),
        (50, 60),
        (2, 3, 4),
        ("morning", "afternoon"),
    ),
    Kind(
        C.VULNERABLE_GROUPS,
        P.HOUSING,
        "주택정책실",
        "{venue} 주거환경 점검",
        "{venue}의 주거 취약가구 지원 현황을 살피고 거주민 의견을 듣는다.",
        ("반지하 주택 밀집지역", "임대주택 단지", "안심주택"),
        (40, 60),
        (2, 3, 4),
        ("morning", "afternoon", "evening"),
    ),
    Kind(
        C.GROUNDBREAKING,
        P.TRANSPORT,
        "도시기반시설본부",
        "{venue} 착공식",
        "{venue} 착공을 알리고 공사 기간 주민 불편 최소화를 약속한다.",
        ("도시철도 연장 구간", "지하차도 건설 현장", "BRT 정류장 개량 현장"),
        (60,),
        (3, 4, 5),
        ("late_morning", "afternoon"),
        True,
        True,
    ),
    Kind(
        C.GROUNDBREAKING,
        P.URBAN_PLANNING,
        "균형발전본부",
        "{venue} 기공식",
        "{venue} 사업의 첫 삽을 뜨며 지역 균형발전 구상을 설명한다.",
        ("복합문화센터 부지", "공공주택 부지", "도시재생 거점시설"),
        (60,),
        (3, 4),
        ("late_morning", "afternoon"),
        True,
        True,
    ),
    Kind(
        C.PRESS,
        P.ADMINISTRATION,
        "대변인",
        "{topic} 기자설명회",
        "{topic} 계획을 발표하고 기자단 질의에 답한다.",
        ("시청 브리핑룸",),
        (30, 40),
        (3, 4, 5),
        ("morning", "late_morning"),
        True,
        True,
    ),
    Kind(
        C.PRESS,
        P.ADMINISTRATION,
        "대변인",
        "언론 인터뷰: {topic}",
        "{topic}에 대한 시의 입장과 추진 계획을 언론 인터뷰로 설명한다.",
        ("시청 다목적홀", "방송사 스튜디오"),
        (30, 40, 60),
        (2, 3),
        ("afternoon", "late_afternoon"),
    ),
    Kind(
        C.DISTRICT_COOPERATION,
        P.ADMINISTRATION,
        "자치행정과",
        "{district}청장 면담",
        "{district} 현안(교통·재개발·복지)을 구청장과 논의하고 시·구 협력 과제를 정한다.",
        ("구청",),
        (40, 60),
        (2, 3, 4),
        ("morning", "afternoon", "late_afternoon"),
    ),
    Kind(
        C.DISTRICT_COOPERATION,
        P.URBAN_PLANNING,
        "도시공간본부",
        "{district} 주민 현장소통",
        "{venue} 관련 주민 의견을 듣고 시·구가 함께 추진할 과제를 확인한다.",
        ("재개발 구역", "뉴타운 해제 지역", "역세권 개발 예정지"),
        (60, 90),
        (2, 3),
        ("afternoon", "evening"),
    ),
    Kind(
        C.INTERGOVERNMENTAL,
        P.ADMINISTRATION,
        "대외협력과",
        "{topic} 협의",
        "{topic_eul} 위해 중앙부처와 수도권 공동 현안을 논의한다.",
        ("정부서울청사",),
        (60,),
        (3, 4),
        ("morning", "afternoon"),
        True,
        True,
        (
            "국토교통부 광역교통 개선",
            "환경부 미세먼지 공동대응",
            "행정안전부 재난안전 협력",
            "보건복지부 돌봄 서비스 연계",
            "기획재정부 국비 확보",
        ),
    ),
)

#: Topics press briefings and interviews are about.
TOPICS: tuple[str, ...] = (
    "약자와의 동행 2단계",
    "서울형 출산·양육 지원",
    "겨울철 한파 종합대책",
    "창의행정 우수사례",
    "지하철 혼잡도 개선",
    "도시공원 확충",
    "청년 주거 지원",
    "대중교통 통합정기권",
)

#: Council round-tables: (committee, title, purpose); the members are that committee's.
COUNCIL_MEETINGS: tuple[tuple[str, str, str], ...] = (
    (
        "운영위원회",
        "의장단 정례 간담회",
        "주요 시정 현안과 다음 회기 의사일정을 의장단과 협의한다.",
    ),
    ("행정자치위원회", "행정자치위원회 간담회", "조직개편안과 자치구 협력 과제를 설명한다."),
    (
        "기획경제위원회",
        "기획경제위원회 간담회",
        "내년도 예산안 편성 방향을 설명하고 의견을 듣는다.",
    ),
    ("환경수자원위원회", "환경수자원위원회 간담회", "빗물저류시설 확충 계획을 설명한다."),
    ("문화체육관광위원회", "문화체육관광위원회 간담회", "문화시설 확충 계획에 대한 의견을 듣는다."),
    ("보건복지위원회", "보건복지위원회 간담회", "약자와의 동행 사업 성과와 과제를 보고한다."),
    ("주택공간위원회", "주택공간위원회 간담회", "공공주택 공급 계획을 설명하고 의견을 듣는다."),
    ("교통위원회", "교통위원회 간담회", "대중교통 요금 체계 개편안을 설명한다."),
    ("도시안전건설위원회", "도시안전건설위원회 간담회", "겨울철 재난 대비 계획을 보고한다."),
    ("교육위원회", "교육위원회 간담회", "학교 주변 안전 통학로 사업을 협의한다."),
)
