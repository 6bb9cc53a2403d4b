"""Each recipient rule on its own (the others switched off), with its Korean explanation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.rules import (
    MATCHING_RULES,
    Contact,
    RuleId,
    RuleSet,
    apply_rules,
)
from services.notifier.domain.stops import StopView
from services.notifier.settings import NotifierSettings

START = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def member(
    id: str, district: str | None, committees: tuple[str, ...] = (), roles: tuple[str, ...] = ()
) -> CouncilMember:
    return CouncilMember(
        id, f"의원{id}", f"{id}@council.example", district, frozenset(committees),
        frozenset(roles), "가당",
    )  # fmt: skip


ROSTER = [
    member("nowon", "노원구", ("교통위원회",)),
    member("dobong", "도봉구", ("보건복지위원회",)),
    member("chair", "종로구", roles=("chair",)),
    member("vice", "강남구", ("교통위원회",), ("vice_chair",)),
    member("steer", "송파구", roles=("steering_chair",)),
    member("caucus", None, roles=("caucus_leader",)),
]
LEADERS = {"chair", "vice", "steer", "caucus"}
HEADS = {"노원구": Contact("노원구청장(가상)", "head@nowon.example")}


def stop(**overrides: object) -> StopView:
    fields: dict[str, object] = dict(
        stop_id="s-1", version=1, title="착공식", purpose="착공 축하", category="groundbreaking",
        policy_area=None, place_name="월계역", district="노원구", starts_at=START,
        ends_at=START + timedelta(hours=1), public=True, important=False, change="scheduled",
    )  # fmt: skip
    fields.update(overrides)
    return StopView(**fields)  # type: ignore[arg-type]


def only(rule: RuleId) -> RuleSet:
    return RuleSet(enabled=frozenset({rule}), district_heads=HEADS)


def told(s: StopView, rule: RuleId) -> dict[str, str]:
    matches = apply_rules(s, ROSTER, only(rule))
    assert {m.rule for m in matches} <= {rule}
    return {m.member.id: m.explanation for m in matches}


def test_district_members_rule_tells_the_members_of_a_local_events_district() -> None:
    got = told(stop(), RuleId.DISTRICT_MEMBERS)

    assert got == {
        "nowon": "노원구에서 열리는 현장 일정이라 지역구(노원구) 시의원께 사전설명합니다."
    }
    assert told(stop(category="press"), RuleId.DISTRICT_MEMBERS) == {}
    assert told(stop(category="fixed_commitment"), RuleId.DISTRICT_MEMBERS) == {}
    assert told(stop(district="서울 외"), RuleId.DISTRICT_MEMBERS) == {}


def test_district_head_rule_tells_the_configured_head_only() -> None:
    got = apply_rules(stop(), ROSTER, only(RuleId.DISTRICT_HEAD))

    assert [(m.member.id, m.member.email) for m in got] == [("dh-11", "head@nowon.example")]
    assert "노원구청장께 사전설명" in got[0].explanation
    assert told(stop(district="도봉구"), RuleId.DISTRICT_HEAD) == {}, "no head configured there"


def test_leadership_rule_invites_the_leadership_to_important_events_only() -> None:
    assert told(stop(), RuleId.LEADERSHIP_IMPORTANT) == {}

    got = told(stop(important=True), RuleId.LEADERSHIP_IMPORTANT)

    assert set(got) == LEADERS
    assert got["vice"] == "중요 행사여서 시의회 지도부(부의장)께 미리 초청·설명합니다."


def test_press_committee_rule_tells_the_standing_committee_of_the_policy_area() -> None:
    press = stop(category="press", policy_area="transport", district="중구")

    got = told(press, RuleId.PRESS_COMMITTEE)

    assert set(got) == {"nowon", "vice"}
    assert "소관 상임위원회(교통위원회)" in got["nowon"]
    assert told(stop(policy_area="transport"), RuleId.PRESS_COMMITTEE) == {}, "not a press stop"


def test_press_leadership_rule_tells_the_leadership_before_any_announcement() -> None:
    got = told(stop(category="press", district="중구"), RuleId.PRESS_LEADERSHIP)

    assert set(got) == LEADERS
    assert "언론 발표 전" in got["chair"]


def test_council_meeting_rule_tells_exactly_the_attendees_the_stop_names() -> None:
    meeting = stop(
        category="council_meeting", policy_area="welfare", attendee_ids=("nowon", "chair")
    )

    got = told(meeting, RuleId.COUNCIL_MEETING)

    assert set(got) == {"nowon", "chair"}, "the committee (dobong) is not told when named"
    assert got["nowon"] == "의원 간담회 참석 대상으로 지정되셔서 안내합니다."
    unknown = stop(category="council_meeting", attendee_ids=("m-not-on-roster",))
    assert told(unknown, RuleId.COUNCIL_MEETING) == {}, "an id off the roster reaches no one"


def test_council_meeting_without_attendees_falls_back_to_its_committee_and_says_so() -> None:
    meeting = stop(category="council_meeting", policy_area="welfare")

    assert told(meeting, RuleId.COUNCIL_MEETING) == {
        "dobong": "간담회 참석 명단이 지정되지 않아 소관 상임위원회(보건복지위원회) 위원께 "
        "참석 대상으로 안내합니다."
    }
    assert told(stop(category="council_meeting"), RuleId.COUNCIL_MEETING) == {}


def test_attendees_of_other_stops_are_told_as_participants() -> None:
    visit = stop(important=True, attendee_ids=("chair", "dobong"))

    got = told(visit, RuleId.STOP_ATTENDEES)

    assert got == {
        "chair": "이 일정의 참석 대상 시의원으로 지정되셔서 안내합니다.",
        "dobong": "이 일정의 참석 대상 시의원으로 지정되셔서 안내합니다.",
    }
    assert told(stop(), RuleId.STOP_ATTENDEES) == {}
    meeting = stop(category="council_meeting", attendee_ids=("chair",))
    assert told(meeting, RuleId.STOP_ATTENDEES) == {}, "a meeting's attendees: its own rule"
    assert RuleSet().lead_time([RuleId.STOP_ATTENDEES]) == timedelta(hours=48)


def test_a_disabled_rule_selects_nobody() -> None:
    rules = RuleSet(enabled=frozenset(MATCHING_RULES) - {RuleId.DISTRICT_MEMBERS})

    assert apply_rules(stop(), ROSTER, rules) == []


def test_lead_time_of_several_rules_is_the_longest() -> None:
    rules = RuleSet()

    assert rules.lead_time([RuleId.COUNCIL_MEETING]) == timedelta(hours=24)
    assert rules.lead_time([RuleId.COUNCIL_MEETING, RuleId.DISTRICT_MEMBERS]) == timedelta(hours=48)
    assert rules.lead_time([]) == timedelta(0)


def test_settings_configure_rules_heads_and_lead_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFIER_SEND_AT_LEAD_TIME", raising=False)
    monkeypatch.setenv("NOTIFIER_DISABLED_RULES", '["press_leadership"]')
    monkeypatch.setenv(
        "NOTIFIER_DISTRICT_HEADS", '{"노원구": {"name": "구청장", "email": "h@x.kr"}}'
    )
    monkeypatch.setenv("NOTIFIER_LEAD_TIME_HOURS", '{"council_meeting": 12}')

    rules = NotifierSettings().rule_set()

    assert RuleId.PRESS_LEADERSHIP not in rules.enabled
    assert RuleId.DISTRICT_MEMBERS in rules.enabled
    assert rules.district_heads == {"노원구": Contact("구청장", "h@x.kr")}
    assert rules.lead_times[RuleId.COUNCIL_MEETING] == timedelta(hours=12)
    assert rules.lead_times[RuleId.DISTRICT_MEMBERS] == timedelta(hours=48)
    immediate = NotifierSettings(send_at_lead_time=False).rule_set()
    assert immediate.send_at_once and not rules.send_at_once
