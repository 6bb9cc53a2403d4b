"""A member told of a stop and no longer in its audience gets a removal, not an update.

Taken off a council meeting's attendees, or left behind when the stop moves to another
district: their invitation is cancelled (CANCEL, same UID, higher SEQUENCE) with why, their
feed shows the stop cancelled, and "why was I notified?" answers from the stored decision.
Against the fakes of the notifier's own ports, from `briefing.ready` through the handler.
"""

from __future__ import annotations

from dataclasses import replace

from icalendar import Calendar
from test_council_attendees import ATTENDEES, meeting
from test_notifier_handlers import NOW, FakeUnitOfWork, briefed, briefing_ready, queue

from schemas.vocabulary import StopChangeKind
from services.notifier import handlers, recipient_handlers
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.decisions import OverrideAction, plan_notices
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.notices import NoticeKind
from services.notifier.domain.preferences import Preferences
from services.notifier.domain.rules import RuleId, RuleSet

UID = b"UID:stop-1@dongseon.seoul.go.kr"


def sent_all(uow: FakeUnitOfWork) -> None:
    """Every notice queued so far went out (reminders wait for their day)."""
    for delivery in uow.repo.deliveries.values():
        if delivery.status is DeliveryStatus.PENDING and delivery.purpose is DeliveryPurpose.NOTICE:
            delivery.status = DeliveryStatus.SENT


def of_version(uow: FakeUnitOfWork, version: int) -> dict[str, Delivery]:
    return {
        d.member_id: d
        for d in uow.repo.deliveries.values()
        if d.stop_version == version and d.purpose is DeliveryPurpose.NOTICE
    }


def narrowed(uow: FakeUnitOfWork) -> dict[str, Delivery]:
    """Both attendees told of version 1; version 2 keeps m-dobong, drops m-gangnam."""
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    queue(
        uow,
        briefing_ready(
            StopChangeKind.RESCHEDULED, stop=meeting(2, ["m-dobong"]), previous=meeting()
        ),
    )
    return of_version(uow, 2)


def event_of(delivery: Delivery) -> tuple[str, dict[str, str]]:
    calendar = Calendar.from_ical(delivery.notice.ics)
    [event] = calendar.walk("VEVENT")
    fields = {k: str(event[k]) for k in ("UID", "SEQUENCE", "STATUS")}
    return str(calendar["METHOD"]), fields


def test_a_member_taken_off_the_attendees_gets_a_cancellation_not_an_update() -> None:
    uow = FakeUnitOfWork()

    removal = narrowed(uow)["m-gangnam"]

    first = of_version(uow, 1)["m-gangnam"]
    assert removal.notice.kind is NoticeKind.REMOVAL
    assert removal.notice.ics_method is IcsMethod.CANCEL
    assert event_of(removal) == (
        "CANCEL",
        {"UID": "stop-1@dongseon.seoul.go.kr", "SEQUENCE": "2", "STATUS": "CANCELLED"},
    )
    assert removal.subject.startswith("[안내 대상 제외]")
    assert "더 이상 이 일정의 참석·안내 대상이 아니심" in removal.notice.text_body
    assert "참석 명단에서 제외되셨습니다" in removal.notice.text_body, "and why"
    assert removal.replaces == first.id
    assert removal.change is StopChangeKind.RESCHEDULED, "the stop itself is still on"


def test_the_members_still_attending_get_the_update_saying_who_left() -> None:
    uow = FakeUnitOfWork()

    update = narrowed(uow)["m-dobong"]

    assert update.notice.kind is NoticeKind.UPDATE
    assert event_of(update)[0] == "REQUEST"
    assert update.changes == "참석 대상 제외: 의원 m-gangnam 의원"
    assert "■ 변경 사항: 참석 대상 제외: 의원 m-gangnam 의원" in update.notice.text_body
    assert "의원 m-gangnam" not in update.notice.text_body.replace(update.changes, ""), (
        "named only in what changed"
    )


def test_the_removal_is_a_stored_decision_that_answers_why() -> None:
    uow = FakeUnitOfWork()
    removal = narrowed(uow)["m-gangnam"]

    why = recipient_handlers.why_notified(uow, removal.id)

    [decision] = why.decisions
    assert (decision.rule, decision.included) == (RuleId.NO_LONGER_CONCERNED, True)
    assert decision.delivery_id == removal.id
    assert "참석 명단에서 제외되셨습니다" in decision.explanation
    assert decision.rule.label == "앞서 안내받았으나 변경 후 안내 대상에서 빠짐"
    assert removal.reason == "안내 사유: " + decision.explanation


def test_the_removed_members_feed_shows_the_stop_cancelled_the_others_confirmed() -> None:
    uow = FakeUnitOfWork()
    narrowed(uow)

    gone = handlers.member_feed(uow, "m-gangnam", uow.repo.feed_token("m-gangnam", NOW), NOW)
    kept = handlers.member_feed(uow, "m-dobong", uow.repo.feed_token("m-dobong", NOW), NOW)

    assert UID in gone and b"STATUS:CANCELLED" in gone and b"STATUS:CONFIRMED" not in gone
    assert UID in kept and b"STATUS:CONFIRMED" in kept
    staff = handlers.internal_feed(uow, uow.repo.feed_token("staff", NOW), NOW)
    assert b"STATUS:CONFIRMED" in staff, "the stop is on for the mayor's office"


def test_once_removed_a_member_hears_no_more_until_added_again_then_as_new() -> None:
    uow = FakeUnitOfWork()
    narrowed(uow)
    sent_all(uow)
    later = meeting(3, ["m-dobong"]).model_copy(update={"title": "복지위 간담회(장소 변경)"})

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=later, previous=meeting(2)))

    assert set(of_version(uow, 3)) == {"m-dobong"}, "told of the removal once, not again"
    sent_all(uow)
    back = meeting(4, ATTENDEES)
    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=back, previous=later))

    again = of_version(uow, 4)["m-gangnam"]
    assert again.notice.kind is NoticeKind.ADVANCE and event_of(again)[0] == "REQUEST"
    feed = handlers.member_feed(uow, "m-gangnam", uow.repo.feed_token("m-gangnam", NOW), NOW)
    assert b"STATUS:CONFIRMED" in feed, "back in the audience: active again"


def test_a_removal_not_yet_sent_is_superseded_when_the_member_is_added_back() -> None:
    uow = FakeUnitOfWork()
    removal = narrowed(uow)["m-gangnam"]  # still pending

    queue(
        uow,
        briefing_ready(
            StopChangeKind.RESCHEDULED, stop=meeting(3), previous=meeting(2, ["m-dobong"])
        ),
    )

    assert uow.repo.deliveries[removal.id].status is DeliveryStatus.SUPERSEDED
    back = of_version(uow, 3)["m-gangnam"]
    assert back.notice.kind is NoticeKind.UPDATE, "their calendar still has the first invite"


def test_no_reminder_is_queued_beside_a_removal() -> None:
    uow = FakeUnitOfWork()
    uow.repo.save_preferences(Preferences("m-gangnam", day_before_reminder=True), NOW)

    narrowed(uow)

    reminders = {
        d.stop_version: d.status
        for d in uow.repo.deliveries.values()
        if d.purpose is DeliveryPurpose.REMINDER and d.member_id == "m-gangnam"
    }
    assert reminders == {1: DeliveryStatus.SUPERSEDED}, "the first one's went stale with it"


def test_a_member_left_behind_by_a_move_hears_why_and_the_new_district_is_told() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=briefed()))
    sent_all(uow)

    queue(
        uow,
        briefing_ready(
            StopChangeKind.RESCHEDULED, stop=briefed(2, "도봉구", hour=2), previous=briefed()
        ),
    )

    second = of_version(uow, 2)
    assert second["m-nowon"].notice.kind is NoticeKind.REMOVAL
    assert "일정 장소의 자치구가 바뀌었습니다(노원구 → 도봉구)" in second["m-nowon"].reason
    assert second["m-chair"].notice.kind is NoticeKind.UPDATE, "the chair still attends"
    assert second["m-dobong"].notice.kind is NoticeKind.ADVANCE


def test_a_stored_removal_reads_back_as_a_removal() -> None:
    assert NoticeKind.of("notice", StopChangeKind.RESCHEDULED, IcsMethod.CANCEL) is (
        NoticeKind.REMOVAL
    )
    assert NoticeKind.of("notice", StopChangeKind.CANCELLED, IcsMethod.CANCEL) is (
        NoticeKind.CANCELLATION
    )
    assert NoticeKind.of("notice", StopChangeKind.RESCHEDULED) is NoticeKind.UPDATE


# an operator's exclusion after the member was told


def excluded(uow: FakeUnitOfWork, member_id: str, action: OverrideAction = OverrideAction.EXCLUDE):  # type: ignore[no-untyped-def]
    return recipient_handlers.override_recipient(
        uow, "stop-1", member_id, action, "해외 출장 중", organizer_email="o@x", rules=RuleSet(),
        now=NOW,
    )  # fmt: skip


def withdrawals(uow: FakeUnitOfWork, member_id: str) -> list[Delivery]:
    return [
        d
        for d in uow.repo.deliveries.values()
        if d.member_id == member_id and d.purpose is DeliveryPurpose.WITHDRAWAL
    ]


def test_a_member_excluded_after_being_told_gets_their_invitation_cancelled_once() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    told = of_version(uow, 1)["m-gangnam"]

    excluded(uow, "m-gangnam")
    excluded(uow, "m-gangnam")  # said twice: still one withdrawal

    [withdrawal] = withdrawals(uow, "m-gangnam")
    assert withdrawal.status is DeliveryStatus.PENDING, "the second exclusion keeps it"
    assert withdrawal.notice.kind is NoticeKind.WITHDRAWAL
    assert withdrawal.subject.startswith("[안내 대상 제외]")
    assert "담당자가 의원님을 제외" in withdrawal.notice.text_body
    assert "해외 출장 중" in withdrawal.notice.text_body, "and the operator's reason"
    method, fields = event_of(withdrawal)
    assert method == "CANCEL" and fields["UID"] == "stop-1@dongseon.seoul.go.kr"
    assert fields["STATUS"] == "CANCELLED"
    assert withdrawal.replaces == told.id
    why = recipient_handlers.why_notified(uow, withdrawal.id)
    assert any(d.included and "해외 출장 중" in d.explanation for d in why.decisions)
    feed = handlers.member_feed(uow, "m-gangnam", uow.repo.feed_token("m-gangnam", NOW), NOW)
    assert b"STATUS:CANCELLED" in feed and b"STATUS:CONFIRMED" not in feed
    assert not withdrawals(uow, "m-dobong"), "the other attendee keeps the invitation"


def test_a_member_excluded_before_any_notice_went_out_gets_nothing() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))  # queued, not sent

    excluded(uow, "m-gangnam")

    assert not withdrawals(uow, "m-gangnam")
    assert of_version(uow, 1)["m-gangnam"].status is DeliveryStatus.SUPERSEDED


def test_a_withdrawal_not_yet_sent_is_dropped_when_the_member_is_added_back() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    excluded(uow, "m-gangnam")
    [withdrawal] = withdrawals(uow, "m-gangnam")

    excluded(uow, "m-gangnam", OverrideAction.ADD)

    assert uow.repo.deliveries[withdrawal.id].status is DeliveryStatus.SUPERSEDED
    feed = handlers.member_feed(uow, "m-gangnam", uow.repo.feed_token("m-gangnam", NOW), NOW)
    assert b"STATUS:CONFIRMED" in feed, "their invitation was never withdrawn"


def test_after_a_withdrawal_later_versions_tell_the_excluded_member_nothing() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    excluded(uow, "m-gangnam")
    for delivery in withdrawals(uow, "m-gangnam"):
        delivery.status = DeliveryStatus.SENT

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=meeting(2), previous=meeting()))

    assert set(of_version(uow, 2)) == {"m-dobong"}
    assert len(withdrawals(uow, "m-gangnam")) == 1


# added back after the withdrawal went out: invited again, as often as it goes back and forth


def sent_now(uow: FakeUnitOfWork) -> None:
    """Every notice and withdrawal queued so far went out."""
    for delivery in uow.repo.deliveries.values():
        if delivery.status is DeliveryStatus.PENDING and delivery.purpose in (
            DeliveryPurpose.NOTICE,
            DeliveryPurpose.WITHDRAWAL,
        ):
            delivery.status = DeliveryStatus.SENT


def theirs(uow: FakeUnitOfWork, member_id: str) -> list[Delivery]:
    """The member's notices and withdrawals, in the order they were queued."""
    found = [
        d
        for d in uow.repo.deliveries.values()
        if d.member_id == member_id and d.purpose is not DeliveryPurpose.REMINDER
    ]
    return sorted(found, key=lambda d: (d.stop_version, d.round, d.purpose))


def unique_keys_hold(uow: FakeUnitOfWork) -> bool:
    """No two rows share notifier_delivery's unique key, as the table requires."""
    keys = [
        (d.stop_id, d.stop_version, d.member_id, d.purpose, d.follow_up_no, d.round)
        for d in uow.repo.deliveries.values()
    ]
    return len(keys) == len(set(keys))


def feed_of(uow: FakeUnitOfWork, member_id: str) -> bytes:
    return handlers.member_feed(uow, member_id, uow.repo.feed_token(member_id, NOW), NOW)


def withdrawn_and_sent(uow: FakeUnitOfWork) -> Delivery:
    """m-gangnam told of version 1, excluded, and the withdrawal went out."""
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    excluded(uow, "m-gangnam")
    sent_now(uow)
    [withdrawal] = withdrawals(uow, "m-gangnam")
    return withdrawal


def test_a_member_added_back_after_their_withdrawal_went_out_is_invited_again() -> None:
    uow = FakeUnitOfWork()
    withdrawal = withdrawn_and_sent(uow)
    before = set(uow.repo.deliveries)

    excluded(uow, "m-gangnam", OverrideAction.ADD)

    [again] = [uow.repo.deliveries[i] for i in set(uow.repo.deliveries) - before]
    assert (again.purpose, again.round, again.status) == (
        DeliveryPurpose.NOTICE,
        1,
        DeliveryStatus.PENDING,
    )
    assert again.notice.kind is NoticeKind.ADVANCE, "their calendar lost it: told as new"
    assert event_of(again) == (
        "REQUEST",
        {"UID": "stop-1@dongseon.seoul.go.kr", "SEQUENCE": "1", "STATUS": "CONFIRMED"},
    )
    assert again.replaces == withdrawal.id
    assert again.next_attempt_at == NOW and again.urgent is False, "at once, like a change"
    assert "담당자가 이 일정의 안내 대상으로 추가했습니다: 해외 출장 중" in again.reason
    assert "담당자가 다시 안내 대상으로 추가해 일정표 초대를 다시 보내드립니다." in again.reason
    assert "일정표 초대를 다시 보내드립니다" in again.notice.text_body
    why = recipient_handlers.why_notified(uow, again.id)
    assert any(d.rule is RuleId.OPERATOR_ADDED and d.delivery_id == again.id for d in why.decisions)
    feed = feed_of(uow, "m-gangnam")
    assert b"STATUS:CONFIRMED" in feed and b"STATUS:CANCELLED" not in feed
    assert unique_keys_hold(uow)


def test_excluded_and_added_back_again_and_again_one_delivery_per_step() -> None:
    uow = FakeUnitOfWork()
    withdrawn_and_sent(uow)
    steps = [OverrideAction.ADD, OverrideAction.EXCLUDE, OverrideAction.ADD]

    for step in steps:
        count = len(theirs(uow, "m-gangnam"))
        excluded(uow, "m-gangnam", step)
        excluded(uow, "m-gangnam", step)  # said twice: nothing more
        assert len(theirs(uow, "m-gangnam")) == count + 1
        sent_now(uow)

    history = theirs(uow, "m-gangnam")
    assert [(d.purpose.value, d.round, d.notice.ics_method.value) for d in history] == [
        ("notice", 0, "REQUEST"),
        ("withdrawal", 0, "CANCEL"),
        ("notice", 1, "REQUEST"),
        ("withdrawal", 1, "CANCEL"),
        ("notice", 2, "REQUEST"),
    ]
    assert [d.replaces for d in history[1:]] == [d.id for d in history[:-1]], "each the last"
    assert all(d.status is DeliveryStatus.SENT for d in history)
    assert b"STATUS:CONFIRMED" in feed_of(uow, "m-gangnam")
    assert unique_keys_hold(uow)
    assert [d.purpose for d in theirs(uow, "m-dobong")] == [DeliveryPurpose.NOTICE]


def test_an_exclusion_before_the_invitation_again_went_out_drops_it_and_sends_nothing() -> None:
    uow = FakeUnitOfWork()
    withdrawn_and_sent(uow)
    excluded(uow, "m-gangnam", OverrideAction.ADD)
    [again] = [d for d in theirs(uow, "m-gangnam") if d.round == 1]

    excluded(uow, "m-gangnam")  # their calendar has it cancelled already

    assert uow.repo.deliveries[again.id].status is DeliveryStatus.SUPERSEDED
    assert len(withdrawals(uow, "m-gangnam")) == 1
    assert b"STATUS:CANCELLED" in feed_of(uow, "m-gangnam")
    excluded(uow, "m-gangnam", OverrideAction.ADD)  # and back: the dropped row is reused
    assert uow.repo.deliveries[again.id].status is DeliveryStatus.PENDING
    assert len(theirs(uow, "m-gangnam")) == 3 and unique_keys_hold(uow)


def test_a_later_version_updates_a_member_invited_again() -> None:
    uow = FakeUnitOfWork()
    withdrawn_and_sent(uow)
    excluded(uow, "m-gangnam", OverrideAction.ADD)
    sent_now(uow)
    [again] = [d for d in theirs(uow, "m-gangnam") if d.round == 1]

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=meeting(2), previous=meeting()))

    update = of_version(uow, 2)["m-gangnam"]
    assert update.notice.kind is NoticeKind.UPDATE and update.replaces == again.id


def test_a_later_version_tells_nothing_after_the_last_withdrawal_went_out() -> None:
    uow = FakeUnitOfWork()
    withdrawn_and_sent(uow)
    excluded(uow, "m-gangnam", OverrideAction.ADD)
    sent_now(uow)
    excluded(uow, "m-gangnam")
    sent_now(uow)

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=meeting(2), previous=meeting()))

    assert set(of_version(uow, 2)) == {"m-dobong"}
    assert len(withdrawals(uow, "m-gangnam")) == 2


def test_whether_a_member_was_told_follows_their_latest_round_whatever_the_row_order() -> None:
    """Told of version 1 as it last went to them: an invitation again → told (a removal
    when version 2 leaves them out), a withdrawal last → not told (nothing to take back)."""
    invited, withdrawn = FakeUnitOfWork(), FakeUnitOfWork()
    for uow in (invited, withdrawn):
        withdrawn_and_sent(uow)
        excluded(uow, "m-gangnam", OverrideAction.ADD)
        sent_now(uow)
    excluded(withdrawn, "m-gangnam")
    sent_now(withdrawn)
    first = invited.repo.stop_views["stop-1"]
    narrower = replace(
        first, version=2, change=StopChangeKind.RESCHEDULED, attendee_ids=("m-dobong",)
    )

    def told(uow: FakeUnitOfWork, rows: list[Delivery]) -> set[str]:
        plan = plan_notices(narrower, None, uow.repo.roster(), RuleSet(), [], rows, NOW)
        return {n.member.id for n in plan.notices if n.removal}

    for uow, expected in ((invited, {"m-gangnam"}), (withdrawn, set())):
        rows = uow.repo.deliveries_for_stop("stop-1")
        assert told(uow, rows) == expected
        assert told(uow, rows[::-1]) == expected
        assert told(uow, sorted(rows, key=lambda d: d.id, reverse=True)) == expected


def test_a_member_the_rules_removed_and_an_operator_adds_back_is_invited_again() -> None:
    uow = FakeUnitOfWork()
    removal = narrowed(uow)["m-gangnam"]
    sent_all(uow)

    excluded(uow, "m-gangnam", OverrideAction.ADD)

    again = max(theirs(uow, "m-gangnam"), key=lambda d: (d.stop_version, d.round))
    assert (again.stop_version, again.round, again.replaces) == (2, 1, removal.id)
    assert event_of(again)[0] == "REQUEST" and again.notice.kind is NoticeKind.ADVANCE
    assert "담당자가 다시 안내 대상으로 추가해" in again.reason
    assert b"STATUS:CONFIRMED" in feed_of(uow, "m-gangnam") and unique_keys_hold(uow)


def test_a_removal_not_yet_sent_gives_way_to_an_update_when_an_operator_adds_back() -> None:
    uow = FakeUnitOfWork()
    removal = narrowed(uow)["m-gangnam"]  # pending

    excluded(uow, "m-gangnam", OverrideAction.ADD)

    assert uow.repo.deliveries[removal.id].status is DeliveryStatus.SUPERSEDED
    [update] = [d for d in theirs(uow, "m-gangnam") if d.status is DeliveryStatus.PENDING]
    assert update.notice.kind is NoticeKind.UPDATE and update.round == 1
    assert update.replaces == of_version(uow, 1)["m-gangnam"].id, "their calendar holds v1"
    assert b"STATUS:CONFIRMED" in feed_of(uow, "m-gangnam") and unique_keys_hold(uow)


def test_a_withdrawal_not_yet_sent_still_goes_when_a_new_version_comes() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    excluded(uow, "m-gangnam")

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, stop=meeting(2), previous=meeting()))

    live = [d for d in withdrawals(uow, "m-gangnam") if d.status is DeliveryStatus.PENDING]
    assert len(live) == 1, "the excluded member's invitation is still cancelled"


def test_excluding_again_after_the_withdrawal_failed_for_good_tries_it_once_more() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready(stop=meeting()))
    sent_all(uow)
    excluded(uow, "m-gangnam")
    [withdrawal] = withdrawals(uow, "m-gangnam")
    withdrawal.status = DeliveryStatus.FAILED  # refused for good: the calendar keeps the event

    excluded(uow, "m-gangnam")

    [again] = withdrawals(uow, "m-gangnam")
    assert again.id == withdrawal.id and again.status is DeliveryStatus.PENDING, "its row reused"
    assert unique_keys_hold(uow)
