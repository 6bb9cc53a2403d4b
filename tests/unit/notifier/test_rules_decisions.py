"""The recipient planner: decisions with their rules, lead times, updates that refer to the
earlier notice, cancellations, superseding unsent notices, operator add/exclude."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.decisions import (
    Override,
    OverrideAction,
    describe_changes,
    plan_notices,
)
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryStatus
from services.notifier.domain.notices import compose_notice
from services.notifier.domain.recipients import CouncilMember, Recipient
from services.notifier.domain.rules import RuleId, RuleSet
from services.notifier.domain.stops import StopView

NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
START = NOW + timedelta(days=5)
RULES = RuleSet()


def member(id: str, district: str | None, roles: tuple[str, ...] = ()) -> CouncilMember:
    return CouncilMember(
        id, f"의원{id}", f"{id}@council.example", district, frozenset(), frozenset(roles), "가당"
    )


ROSTER = [member("nowon", "노원구"), member("dobong", "도봉구"), member("chair", None, ("chair",))]


def stop(version: int = 1, **overrides: object) -> StopView:
    fields: dict[str, object] = dict(
        stop_id="s-1", version=version, title="착공식", purpose="착공 축하",
        category="groundbreaking", policy_area=None, place_name="월계역", district="노원구",
        starts_at=START, ends_at=START + timedelta(hours=1), public=True, important=False,
        change="scheduled",
    )  # fmt: skip
    fields.update(overrides)
    return StopView(**fields)  # type: ignore[arg-type]


def delivered(s: StopView, member_id: str, status: DeliveryStatus) -> Delivery:
    who = next(m for m in ROSTER if m.id == member_id)
    notice = compose_notice(s, Recipient(who, ("test",)), [], "org@seoul.example", NOW)
    delivery = Delivery.queue(s, notice, Cause("c", None, "seoul"), NOW)
    delivery.status = status
    return delivery


def moved(**overrides: object) -> StopView:
    fields: dict[str, object] = dict(
        change="rescheduled",
        starts_at=START + timedelta(hours=2),
        ends_at=START + timedelta(hours=3),
        previous_starts_at=START,
        previous_ends_at=START + timedelta(hours=1),
    )
    fields.update(overrides)
    return stop(2, **fields)


def test_a_new_stop_is_told_at_the_lead_time_and_every_decision_names_its_rule() -> None:
    plan = plan_notices(stop(important=True), None, ROSTER, RULES, [], [], NOW)

    assert [(n.member.id, n.rules) for n in plan.notices] == [
        ("chair", (RuleId.LEADERSHIP_IMPORTANT,)),
        ("nowon", (RuleId.DISTRICT_MEMBERS,)),
    ]
    assert all(n.timing.not_before == START - timedelta(hours=48) for n in plan.notices)
    assert not any(n.timing.short_notice for n in plan.notices)
    assert {(d.member_id, d.rule, d.included) for d in plan.decisions} == {
        ("chair", RuleId.LEADERSHIP_IMPORTANT, True),
        ("nowon", RuleId.DISTRICT_MEMBERS, True),
    }
    nowon = plan.notices[1]
    assert (
        nowon.reason
        == "안내 사유: 노원구에서 열리는 현장 일정이라 지역구(노원구) 시의원께 사전설명합니다."
    )
    assert plan.superseded == [] and not plan.stale


def test_sending_at_once_ignores_lead_times_without_calling_it_short_notice() -> None:
    """`NOTIFIER_SEND_AT_LEAD_TIME=false` (demos): a stop weeks ahead is told at confirmation."""
    at_once = replace(RULES, send_at_once=True)

    notices = plan_notices(stop(important=True), None, ROSTER, at_once, [], [], NOW).notices

    assert notices and all(n.timing.not_before == NOW for n in notices)
    assert not any(n.timing.short_notice for n in notices)


def test_a_stop_confirmed_late_is_sent_at_once_as_short_notice() -> None:
    now = START - timedelta(hours=20)

    [notice] = plan_notices(stop(), None, ROSTER, RULES, [], [], now).notices

    assert (notice.timing.not_before, notice.timing.short_notice) == (now, True)
    assert notice.timing.urgent


def test_a_move_updates_who_was_told_at_once_referring_to_their_notice() -> None:
    first = delivered(stop(), "nowon", DeliveryStatus.SENT)

    plan = plan_notices(moved(), stop(), ROSTER, RULES, [], [first], NOW)

    [update] = plan.notices
    assert update.member.id == "nowon" and update.view.change is StopChangeKind.RESCHEDULED
    assert update.replaces == first.id
    assert update.timing.not_before == NOW, "an update does not wait for the lead time"
    assert update.changes.startswith("일시: 2026년 12월 6일(일) 09:00–10:00 → ")
    assert RuleId.PREVIOUSLY_TOLD in update.rules
    assert "1차 안내를 받으셔서" in " ".join(update.explanations)


def test_a_notice_not_yet_sent_is_superseded_and_the_member_told_as_new() -> None:
    waiting = delivered(stop(), "nowon", DeliveryStatus.PENDING)

    plan = plan_notices(moved(), stop(), ROSTER, RULES, [], [waiting], NOW)

    assert plan.superseded == [waiting.id]
    [fresh] = plan.notices
    assert fresh.view.change is StopChangeKind.SCHEDULED, "never told: an advance, not an update"
    assert fresh.view.previous_starts_at is None and fresh.replaces is None
    assert fresh.timing.not_before == moved().starts_at - timedelta(hours=48)


def test_a_move_to_another_district_tells_both_old_audience_and_new() -> None:
    first = delivered(stop(), "nowon", DeliveryStatus.SENT)

    plan = plan_notices(moved(district="도봉구"), stop(), ROSTER, RULES, [], [first], NOW)

    by_member = {n.member.id: n for n in plan.notices}
    nowon = by_member["nowon"]
    assert nowon.rules == (RuleId.NO_LONGER_CONCERNED,), "no longer their district"
    assert nowon.removal and nowon.replaces == first.id
    assert "장소: 월계역(노원구) → 월계역(도봉구)" in nowon.changes
    assert by_member["dobong"].view.change is StopChangeKind.SCHEDULED


def test_a_cancellation_reaches_only_who_was_told_and_drops_what_was_waiting() -> None:
    told = delivered(stop(), "nowon", DeliveryStatus.SENT)
    waiting = delivered(stop(important=True), "chair", DeliveryStatus.PENDING)
    cancelled = stop(2, change="cancelled", important=True)

    plan = plan_notices(cancelled, None, ROSTER, RULES, [], [told, waiting], NOW)

    assert [(n.member.id, n.replaces) for n in plan.notices] == [("nowon", told.id)]
    assert plan.notices[0].changes == "일정이 취소되었습니다."
    assert plan.superseded == [waiting.id]


def test_the_same_version_twice_queues_nothing_new() -> None:
    queued = delivered(stop(), "nowon", DeliveryStatus.PENDING)

    plan = plan_notices(stop(), None, ROSTER, RULES, [], [queued], NOW)

    assert plan.notices == [] and plan.superseded == []
    assert [d.member_id for d in plan.decisions] == ["nowon"], "the decision is kept"


def test_an_older_version_arriving_late_is_stale() -> None:
    newer = delivered(moved(), "nowon", DeliveryStatus.PENDING)

    assert plan_notices(stop(), None, ROSTER, RULES, [], [newer], NOW).stale


def test_an_operator_adds_and_excludes_members_with_a_reason() -> None:
    waiting = delivered(stop(), "nowon", DeliveryStatus.PENDING)
    overrides = [
        Override("s-1", "dobong", OverrideAction.ADD, "인접 지역구 주민 민원", NOW),
        Override("s-1", "nowon", OverrideAction.EXCLUDE, "해외 출장 중", NOW),
    ]

    plan = plan_notices(stop(), None, ROSTER, RULES, overrides, [waiting], NOW)

    [added] = plan.notices
    assert (added.member.id, added.rules) == ("dobong", (RuleId.OPERATOR_ADDED,))
    assert "인접 지역구 주민 민원" in added.reason
    assert plan.superseded == [waiting.id], "the excluded member's unsent notice is dropped"
    excluded = [d for d in plan.decisions if d.member_id == "nowon"]
    assert [(d.rule, d.included) for d in excluded] == [
        (RuleId.OPERATOR_EXCLUDED, False),
        (RuleId.DISTRICT_MEMBERS, False),
    ]
    assert "해외 출장 중" in excluded[0].explanation


def test_with_no_record_of_the_stop_the_previous_audience_is_assumed_told() -> None:
    plan = plan_notices(moved(district="도봉구"), stop(), ROSTER, RULES, [], [], NOW)

    by_member = {n.member.id: n for n in plan.notices}
    assert by_member["nowon"].view.change is StopChangeKind.RESCHEDULED
    assert by_member["nowon"].replaces is None
    assert by_member["nowon"].removal, "assumed told, and no longer concerned: a removal"


def test_what_changed_is_said_in_korean() -> None:
    before = stop()
    after = replace(moved(), title="착공식(연기)", purpose="다른 목적")

    text = describe_changes(before, after)

    assert "일시: " in text and "일정명: 착공식 → 착공식(연기)" in text and "목적·내용" in text
    assert (
        describe_changes(None, after)
        == "일정 내용이 변경되었습니다(이전 안내와 비교할 정보가 없습니다)."
    )
    assert describe_changes(before, before).startswith("일정 세부 정보가 갱신되었습니다")


def test_an_update_of_the_attendees_only_names_who_was_added_and_who_left() -> None:
    before = stop(category="council_meeting", attendee_ids=("nowon", "dobong"))
    after = replace(before, version=2, attendee_ids=("nowon", "chair", "x-9"))
    names = {m.id: m.name for m in ROSTER}

    text = describe_changes(before, after, names)

    assert text == "참석 대상 추가: 의원chair 의원, 명단 외 1명; 참석 대상 제외: 의원dobong 의원"
    assert describe_changes(before, after) == (
        "참석 대상 추가: 명단 외 2명; 참석 대상 제외: 명단 외 1명"
    ), "without a roster: counted, never an empty line"


def test_every_field_a_member_sees_is_said_when_it_changes() -> None:
    before = stop()
    after = replace(
        before, version=2, category="livelihood", public=False, important=True,
        policy_area="welfare",
    )  # fmt: skip

    parts = describe_changes(before, after).split("; ")

    assert parts == [
        "분류: 착공식·기공식 → 민생 현장방문",
        "소관 분야: 지정 없음 → 보건복지위원회",
        "공개 여부: 공개 → 비공개",
        "중요 행사로 지정되었습니다",
    ]


def test_an_update_tells_the_told_member_what_changed_in_the_plan() -> None:
    first = delivered(stop(), "nowon", DeliveryStatus.SENT)
    retitled = stop(2, change="rescheduled", title="착공식(공개행사)")

    plan = plan_notices(retitled, stop(), ROSTER, RULES, [], [first], NOW)

    [update] = plan.notices
    assert (update.member.id, update.removal) == ("nowon", False)
    assert update.changes == "일정명: 착공식 → 착공식(공개행사)"
