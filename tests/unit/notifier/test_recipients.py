"""Who is told of a stop with every rule on: district members, the standing committee, the
council leadership; each person once, leadership first, with all their rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.domain.decisions import PlannedNotice, plan_notices
from services.notifier.domain.recipients import CouncilMember, committee_for
from services.notifier.domain.rules import RuleId, RuleSet
from services.notifier.domain.stops import StopView

TRANSPORT = "교통위원회"


def member(
    id: str,
    name: str,
    district: str | None,
    committees: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    caucus: str = "가당",
) -> CouncilMember:
    return CouncilMember(
        id=id,
        name=name,
        email=f"{id}@council.example",
        district=district,
        committees=frozenset(committees),
        roles=frozenset(roles),
        caucus=caucus,
    )


# A fictional roster: six leadership people and a few ordinary members.
ROSTER = [
    member("m-jungnang", "문중구", "중구", ("행정자치위원회",)),
    member("m-dobong", "조도봉", "도봉구", ("주택공간위원회",)),
    member("m-nowon-a", "강노원", "노원구", (TRANSPORT,)),
    member("m-nowon-b", "윤노원", "노원구", ("보건복지위원회",)),
    member("m-yongsan", "서용산", "용산구", ("환경수자원위원회",)),
    member("m-pr", "오비례", None, (TRANSPORT,), caucus="나당"),
    member("l-chair", "김의장", "종로구", ("행정자치위원회",), ("chair",)),
    member("l-vice-1", "이부의", "노원구", (TRANSPORT,), ("vice_chair",)),
    member("l-vice-2", "박부의", "강남구", (), ("vice_chair",)),
    member("l-steer", "최운영", "송파구", (), ("steering_chair",)),
    member("l-caucus-a", "정대표", "관악구", (), ("caucus_leader",)),
    member("l-caucus-b", "한대표", None, (), ("caucus_leader",), caucus="나당"),
]
LEADERSHIP_IN_ORDER = ["l-chair", "l-vice-2", "l-vice-1", "l-steer", "l-caucus-a", "l-caucus-b"]

START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
NOW = START - timedelta(days=7)


def stop(**overrides: object) -> StopView:
    fields: dict[str, object] = dict(
        stop_id="s-1",
        version=1,
        title="송전선로 지중화 착공식",
        purpose="노원구 특고압 송전선로 지중화 사업 착공 축하",
        category="groundbreaking",
        policy_area=None,
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        public=True,
        important=False,
        change="scheduled",
    )
    fields.update(overrides)
    return StopView(**fields)  # type: ignore[arg-type]


def recipients_for(s: StopView, roster: list[CouncilMember]) -> list[PlannedNotice]:
    return plan_notices(s, None, roster, RuleSet(), [], [], NOW).notices


def recipients_for_change(
    s: StopView, previous: StopView | None, roster: list[CouncilMember]
) -> list[PlannedNotice]:
    return plan_notices(s, previous, roster, RuleSet(), [], [], NOW).notices


def ids(recipients: list[PlannedNotice]) -> list[str]:
    return [r.member.id for r in recipients]


def rules_of(recipients: list[PlannedNotice], member_id: str) -> tuple[RuleId, ...]:
    return next(r.rules for r in recipients if r.member.id == member_id)


def test_district_members_are_told_of_a_local_visit_and_nobody_else() -> None:
    got = recipients_for(stop(), ROSTER)

    assert ids(got) == ["l-vice-1", "m-nowon-a", "m-nowon-b"]
    assert all(r.rules == (RuleId.DISTRICT_MEMBERS,) for r in got)
    assert all("지역구(노원구) 시의원" in r.reason for r in got)


def test_important_event_adds_the_whole_leadership_in_role_order() -> None:
    got = recipients_for(stop(district="도봉구", important=True), ROSTER)

    assert ids(got) == [*LEADERSHIP_IN_ORDER, "m-dobong"]
    for leader in LEADERSHIP_IN_ORDER:
        assert rules_of(got, leader) == (RuleId.LEADERSHIP_IMPORTANT,)
    assert rules_of(got, "m-dobong") == (RuleId.DISTRICT_MEMBERS,)


def test_press_announcement_goes_to_the_committee_and_the_leadership() -> None:
    press = stop(category="press", policy_area="transport", district="중구", place_name="시청")

    got = recipients_for(press, ROSTER)

    assert set(ids(got)) == set(LEADERSHIP_IN_ORDER) | {"m-nowon-a", "m-pr"}
    assert ids(got)[:6] == LEADERSHIP_IN_ORDER
    assert rules_of(got, "m-pr") == (RuleId.PRESS_COMMITTEE,)
    assert "m-jungnang" not in ids(got), "a City Hall briefing is not a local event"
    assert rules_of(got, "l-vice-1") == (RuleId.PRESS_COMMITTEE, RuleId.PRESS_LEADERSHIP)
    assert all(r.timing.not_before == START - timedelta(hours=24) for r in got)


def test_council_meeting_goes_to_the_members_of_its_committee() -> None:
    meeting = stop(category="council_meeting", policy_area="transport", district="중구")

    assert ids(recipients_for(meeting, ROSTER)) == ["l-vice-1", "m-nowon-a", "m-pr"]
    assert recipients_for(replace(meeting, policy_area=None), ROSTER) == []


def test_fixed_commitment_in_yongsan_tells_no_district_member() -> None:
    cabinet = stop(category="fixed_commitment", district="용산구", title="국무회의")

    assert recipients_for(cabinet, ROSTER) == []


def test_out_of_town_stop_tells_nobody_unless_important() -> None:
    trip = stop(category="intergovernmental", district="서울 외", place_name="세종시청")

    assert recipients_for(trip, ROSTER) == []
    assert ids(recipients_for(replace(trip, important=True), ROSTER)) == LEADERSHIP_IN_ORDER


def test_member_matching_several_rules_appears_once_with_all_reasons() -> None:
    got = recipients_for(stop(important=True), ROSTER)

    assert ids(got).count("l-vice-1") == 1
    assert rules_of(got, "l-vice-1") == (RuleId.DISTRICT_MEMBERS, RuleId.LEADERSHIP_IMPORTANT)
    assert len(got) == len(set(ids(got))) == 8


def test_change_reaches_the_members_of_the_previous_district_too() -> None:
    previous = stop()
    moved = stop(district="도봉구", change="rescheduled", version=2)

    got = recipients_for_change(moved, previous, ROSTER)

    assert set(ids(got)) == {"l-vice-1", "m-nowon-a", "m-nowon-b", "m-dobong"}
    assert ids(got)[0] == "l-vice-1"
    assert ids(recipients_for_change(moved, None, ROSTER)) == ["m-dobong"]


@pytest.mark.parametrize(
    ("area", "committee"),
    [
        ("transport", "교통위원회"),
        ("welfare", "보건복지위원회"),
        ("urban_planning", "도시계획균형위원회"),
        ("safety", "도시안전건설위원회"),
        (None, None),
        ("astrology", None),
    ],
)
def test_committee_for_maps_policy_areas(area: str | None, committee: str | None) -> None:
    assert committee_for(area) == committee


def test_change_within_the_same_district_does_not_repeat_reasons() -> None:
    previous = stop()
    moved = stop(
        change="rescheduled",
        version=2,
        starts_at=START + timedelta(hours=2),
        ends_at=START + timedelta(hours=3),
    )

    got = recipients_for_change(moved, previous, ROSTER)

    assert ids(got) == ["l-vice-1", "m-nowon-a", "m-nowon-b"]
    assert all(r.rules == (RuleId.DISTRICT_MEMBERS, RuleId.PREVIOUSLY_TOLD) for r in got), (
        "told before (no record: assumed) and still in the district"
    )
