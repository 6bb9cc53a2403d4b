"""Talking points for a stop: related facts with their sources, Seoul time, council notices."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from schemas.vocabulary import StopChangeKind
from services.briefing.adapters.knowledge_file import load_knowledge_base
from services.briefing.domain.knowledge import KnowledgeBase, KnowledgeEntry, Source
from services.briefing.domain.talking_points import (
    CANCELLED_SUMMARY,
    FROM_STOP,
    IMPORTANT_EVENT_RULE_ID,
    PRESS_NOTICE_RULE_ID,
    StopFacts,
    build_briefing,
    format_period,
)

REPORT_002 = "002_c52fe1ec9ad84633"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def stop(**changes: object) -> StopFacts:
    """A plain scheduled groundbreaking in Nowon, 14:00–15:00 Seoul time given in UTC."""
    facts = StopFacts(
        stop_id="stop-1",
        version=3,
        title="노원구 주민 간담회",
        purpose="지역 주민의 생활환경 개선 요구를 듣는다",
        category="groundbreaking",
        policy_area="environment",
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=datetime(2026, 12, 1, 5, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
        public=True,
        important=False,
        requesting_department="기후환경본부",
        change=StopChangeKind.SCHEDULED,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def wildfire_visit() -> StopFacts:
    return stop(
        title="종로구 산불 피해지역 현장점검",
        purpose="산불 진화 이후 복구 상황을 점검한다",
        category="disaster_safety",
        policy_area="safety",
        place_name="부암동 주민센터",
        district="종로구",
    )


def entry(id: str, **tags: frozenset[str]) -> KnowledgeEntry:
    source = Source(REPORT_002, "보고서", date(2022, 3, 31), "Ⅱ-2", f"{id} 인용")
    return KnowledgeEntry(
        id=id,
        title=f"{id} 제목",
        text=f"{id} 내용",
        source=source,
        categories=tags.get("categories", frozenset()),
        policy_areas=tags.get("policy_areas", frozenset()),
        districts=tags.get("districts", frozenset()),
        keywords=tags.get("keywords", frozenset()),
    )


# --- related() ---------------------------------------------------------------------------


def test_disaster_visit_in_jongno_about_a_wildfire_gets_the_inwangsan_entry(
    kb: KnowledgeBase,
) -> None:
    related = [e.id for e in kb.related(wildfire_visit())]
    assert related[0] == "inwangsan-wildfire-2023"
    assert "inwangsan-wildfire-response-2023" in related


def test_groundbreaking_in_nowon_gets_the_transmission_line_entry(kb: KnowledgeBase) -> None:
    related = [e.id for e in kb.related(stop())]
    assert related[0] == "nowon-transmission-line-undergrounding-2023"


def test_tram_groundbreaking_in_songpa_gets_the_wirye_tram_entry(kb: KnowledgeBase) -> None:
    facts = stop(
        title="위례트램 개통 준비 점검",
        place_name="위례중앙광장",
        district="송파구",
        policy_area="transport",
    )
    assert kb.related(facts)[0].id == "wirye-tram-groundbreaking-2023"


def test_keywords_outweigh_district_category_and_policy_area() -> None:
    by_tags = entry(
        "b-tags",
        districts=frozenset({"노원구"}),
        categories=frozenset({"groundbreaking"}),
        policy_areas=frozenset({"environment"}),
    )
    by_keywords = entry("a-keywords", keywords=frozenset({"주민 간담회", "생활환경"}))
    kb = KnowledgeBase.from_entries([by_tags, by_keywords])
    assert [e.id for e in kb.related(stop())] == ["a-keywords", "b-tags"]


def test_ordering_is_score_then_id_and_does_not_depend_on_file_order() -> None:
    same = {"categories": frozenset({"groundbreaking"})}
    entries = [entry(i, **same) for i in ("c", "a", "d", "b")]
    entries.append(entry("z", keywords=frozenset({"월계역"})))
    expected = ["z", "a", "b", "c"]
    for seed in range(5):
        random.Random(seed).shuffle(entries)
        ranked = KnowledgeBase.from_entries(entries).related(stop(), limit=4)
        assert [e.id for e in ranked] == expected


def test_entries_scoring_zero_are_never_returned() -> None:
    kb = KnowledgeBase.from_entries(
        [entry("unrelated", districts=frozenset({"강서구"}), keywords=frozenset({"김포공항"}))]
    )
    assert kb.related(stop(), limit=10) == []


def test_limit_is_respected(kb: KnowledgeBase) -> None:
    assert len(kb.related(wildfire_visit(), limit=1)) == 1
    assert len(kb.related(wildfire_visit(), limit=5)) == 5
    assert kb.related(wildfire_visit(), limit=0) == []


def test_related_is_deterministic(kb: KnowledgeBase) -> None:
    reloaded = load_knowledge_base()
    assert kb.related(wildfire_visit(), limit=10) == reloaded.related(wildfire_visit(), limit=10)


# --- build_briefing() --------------------------------------------------------------------


def test_points_from_the_stop_say_so_and_all_others_cite_a_source(kb: KnowledgeBase) -> None:
    briefing = build_briefing(wildfire_visit(), kb)
    headings = [p.heading for p in briefing.talking_points]
    assert headings[:2] == [f"방문 목적 {FROM_STOP}", f"일시·장소 {FROM_STOP}"]
    assert briefing.talking_points[0].text == wildfire_visit().purpose
    for point in briefing.talking_points:
        assert (point.source is None) == (FROM_STOP in point.heading), point
    cited = [p for p in briefing.talking_points if p.source is not None]
    assert len(cited) == 3
    entries = {e.id: e for e in kb.entries}
    assert cited[0].source == entries["inwangsan-wildfire-2023"].source
    assert cited[0].text == entries["inwangsan-wildfire-2023"].text


def test_briefing_identifies_the_stop_and_knowledge_base(kb: KnowledgeBase) -> None:
    briefing = build_briefing(stop(), kb)
    assert (briefing.stop_id, briefing.stop_version) == ("stop-1", 3)
    assert briefing.knowledge_base_version == kb.version
    assert briefing.summary.endswith("다.") and "\n" not in briefing.summary
    assert "노원구 주민 간담회" in briefing.summary


def test_time_and_place_are_shown_in_seoul_time_from_utc_input(kb: KnowledgeBase) -> None:
    briefing = build_briefing(stop(), kb)
    assert briefing.talking_points[1].text == (
        "2026년 12월 1일(화) 14:00–15:00, 노원구 월계역 환승주차장"
    )


def test_utc_evening_is_the_next_morning_in_seoul() -> None:
    start = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert format_period(start, start + timedelta(hours=1)) == "2026년 12월 1일(화) 08:30–09:30"


def test_other_offsets_are_converted_too() -> None:
    new_york = timezone(timedelta(hours=-5))
    start = datetime(2026, 12, 1, 9, 0, tzinfo=new_york)
    assert format_period(start, start + timedelta(hours=2)) == (
        "2026년 12월 1일(화) 23:00 – 2026년 12월 2일(수) 01:00"
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        stop(starts_at=datetime(2026, 12, 1, 14, 0))


def test_unknown_change_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown change"):
        stop(change="moved")


def test_cancelled_stop_gets_a_one_line_briefing_without_facts(kb: KnowledgeBase) -> None:
    briefing = build_briefing(stop(change="cancelled", important=True), kb)
    assert briefing.summary == CANCELLED_SUMMARY
    assert all(p.source is None for p in briefing.talking_points)
    assert len(briefing.talking_points) == 1
    assert "취소" in briefing.talking_points[0].text
    assert briefing.knowledge_base_version == kb.version


def test_rescheduled_stop_gets_a_change_point(kb: KnowledgeBase) -> None:
    changed = build_briefing(stop(change="rescheduled"), kb).talking_points
    assert changed[-1].heading == f"일정 변경 {FROM_STOP}"
    assert "변경" in changed[-1].text and changed[-1].source is None
    unchanged = build_briefing(stop(), kb).talking_points
    assert not any("일정 변경" in p.heading for p in unchanged)


def notice_points(kb: KnowledgeBase, facts: StopFacts) -> list:
    return [p for p in build_briefing(facts, kb).talking_points if p.heading == "시의회 사전 설명"]


def test_press_stop_reminds_that_committee_and_leadership_were_briefed(
    kb: KnowledgeBase,
) -> None:
    facts = stop(
        category="press",
        title="그레이트한강 후속 기자설명회",
        place_name="시청 브리핑룸",
        district="중구",
        policy_area="environment",
    )
    [point] = notice_points(kb, facts)
    assert point.source == kb.get(PRESS_NOTICE_RULE_ID).source  # type: ignore[union-attr]
    assert point.source.document_id == REPORT_002  # type: ignore[union-attr]
    assert "상임위원회" in point.text and "시의회 지도부" in point.text
    cited = [p.source for p in build_briefing(facts, kb).talking_points if p.source]
    assert len(cited) == len(set(cited)), "the rule is not repeated as a related fact"


def test_important_event_reminds_that_leadership_was_invited(kb: KnowledgeBase) -> None:
    [point] = notice_points(kb, stop(important=True))
    assert point.source == kb.get(IMPORTANT_EVENT_RULE_ID).source  # type: ignore[union-attr]
    assert "시의회 지도부" in point.text


def test_ordinary_stop_has_no_council_notice_point(kb: KnowledgeBase) -> None:
    assert notice_points(kb, stop()) == []


def test_missing_rule_entry_drops_the_notice_rather_than_inventing_a_source() -> None:
    kb = KnowledgeBase.from_entries([entry("x", keywords=frozenset({"월계역"}))])
    briefing = build_briefing(stop(important=True), kb)
    assert [p.heading for p in briefing.talking_points][-1] == "관련 현황: x 제목"
