"""A council meeting's named attendees are told, and only they; the decision is stored.

From `briefing.ready`'s stop snapshot (`attendee_ids`) through the handler, against the
fakes of the notifier's own ports.
"""

from __future__ import annotations

from datetime import timedelta

from test_notifier_handlers import START, FakeUnitOfWork, briefed, briefing_ready, queue

from schemas.briefing import BriefedStop
from schemas.scheduler import StopChange, StopKind, StopSnapshot
from schemas.vocabulary import PolicyArea, StopChangeKind, VisitCategory
from services.notifier.adapters.events import briefed_views, change_views
from services.notifier.domain.deliveries import DeliveryStatus
from services.notifier.domain.rules import RuleId

ATTENDEES = ["m-dobong", "m-gangnam"]


def meeting(version: int = 1, attendee_ids: list[str] | None = None) -> BriefedStop:
    return briefed(version, district="중구").model_copy(
        update={
            "title": "보건복지위원회 의원 간담회",
            "category": VisitCategory.COUNCIL_MEETING,
            "policy_area": PolicyArea.WELFARE,
            "important": False,
            "attendee_ids": ATTENDEES if attendee_ids is None else attendee_ids,
        }
    )


def test_the_named_attendees_are_told_and_nobody_else() -> None:
    uow = FakeUnitOfWork()

    assert queue(uow, briefing_ready(stop=meeting())) == 2

    deliveries = {d.member_id: d for d in uow.repo.deliveries.values()}
    assert set(deliveries) == set(ATTENDEES), "not the district's members, not the chair"
    for delivery in deliveries.values():
        assert "의원 간담회 참석 대상" in delivery.reason
        assert delivery.next_attempt_at == START - timedelta(hours=24), "the meeting's lead time"
    assert uow.repo.decisions_for("stop-1", 1, "m-nowon") == []


def test_the_attendees_decision_is_stored_with_its_rule_and_explanation() -> None:
    uow = FakeUnitOfWork()

    queue(uow, briefing_ready(stop=meeting()))

    [decision] = uow.repo.decisions_for("stop-1", 1, "m-dobong")
    assert (decision.rule, decision.included) == (RuleId.COUNCIL_MEETING, True)
    assert decision.explanation == "의원 간담회 참석 대상으로 지정되셔서 안내합니다."
    assert decision.delivery_id is not None
    assert uow.repo.stop_views["stop-1"].attendee_ids == tuple(ATTENDEES)


def test_a_member_added_to_the_attendees_is_told_as_new_the_others_of_the_change() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    for delivery in uow.repo.deliveries.values():
        delivery.status = DeliveryStatus.SENT
    widened = meeting(2, [*ATTENDEES, "m-chair"])

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=widened, previous=meeting()))

    second = {d.member_id: d for d in uow.repo.deliveries.values() if d.stop_version == 2}
    assert set(second) == {*ATTENDEES, "m-chair"}
    assert second["m-chair"].subject.startswith("[사전안내]"), "never told before: told as new"
    assert not second["m-dobong"].subject.startswith("[사전안내]")


def test_both_snapshots_carry_the_attendees_into_the_stop_view() -> None:
    briefed_stop = meeting()
    scheduler_stop = StopSnapshot(
        **briefed_stop.model_dump(),
        kind=StopKind.VISIT,
        latitude=37.56,
        longitude=126.97,
    )

    [now, _] = briefed_views(briefing_ready(stop=briefed_stop).payload)
    [then, _] = change_views(StopChange(change=StopChangeKind.SCHEDULED, stop=scheduler_stop))

    assert now.attendee_ids == then.attendee_ids == tuple(ATTENDEES)
    assert briefed_views(briefing_ready().payload)[0].attendee_ids == (), "none named: none"
