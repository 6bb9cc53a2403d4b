"""A second delivery per stop version: day-before reminders, press follow-ups, and the daily
digest merged into one e-mail; pure parts and handlers against fakes of the notifier's ports."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy

import pytest
from test_notifier_handlers import (
    NOW,
    ORGANIZER,
    START,
    FakeRelay,
    FakeUnitOfWork,
    briefed,
    briefing_ready,
    queue,
)

from schemas.briefing import BriefedStop
from schemas.events import NOTICE_FAILED, NOTICE_SENT, read_event
from schemas.notifier import NoticePurpose, NoticeSent
from schemas.vocabulary import SEOUL, StopChangeKind
from services.common.errors import InvalidInput, NotFound
from services.notifier import handlers
from services.notifier.adapters.events import briefed_views
from services.notifier.adapters.smtp import build_digest_message, build_message
from services.notifier.dispatcher import NoticeDispatcher
from services.notifier.domain.decisions import Override, OverrideAction
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose, DeliveryStatus
from services.notifier.domain.digests import Digest, compose_digest, digest_key, sending_units
from services.notifier.domain.follow_ups import checked_progress, next_number, told_of
from services.notifier.domain.notices import NoticeKind
from services.notifier.domain.preferences import Preferences, QuietHours
from services.notifier.domain.reminders import ReminderPolicy, reminder_at
from services.notifier.domain.rules import RuleSet
from services.notifier.follow_up_handlers import mark_follow_up
from services.notifier.recipient_handlers import (
    override_recipient,
    update_preferences,
    why_notified,
)

REMINDED = Preferences("m-nowon", day_before_reminder=True)


def with_fields(**fields: object) -> BriefedStop:
    return BriefedStop.model_validate(briefed().model_dump() | fields)


def stop_view(change: StopChangeKind = StopChangeKind.SCHEDULED, **changes: object):  # type: ignore[no-untyped-def]
    view, _ = briefed_views(briefing_ready(change, stop=briefed()).payload)
    return replace(view, **changes)


# reminders: when


def test_a_reminder_goes_at_the_reminder_time_on_the_seoul_day_before() -> None:
    # START is 2026-12-01 14:00 in Seoul: the reminder is 2026-11-30 18:00 Seoul.
    at = reminder_at(ReminderPolicy(), stop_view(), REMINDED, NOW, NOW)
    assert at == datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)
    later = reminder_at(ReminderPolicy(time(20, 30)), stop_view(), REMINDED, NOW, NOW)
    assert later == datetime(2026, 11, 30, 20, 30, tzinfo=SEOUL), "the time is a setting"


def test_no_reminder_unless_chosen_for_a_cancellation_or_when_its_moment_is_gone() -> None:
    policy, view = ReminderPolicy(), stop_view()
    assert reminder_at(policy, view, None, NOW, NOW) is None
    assert reminder_at(policy, view, Preferences("m-nowon"), NOW, NOW) is None
    cancelled = stop_view(StopChangeKind.CANCELLED)
    assert reminder_at(policy, cancelled, REMINDED, NOW, NOW) is None
    slot = datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)
    assert reminder_at(policy, view, REMINDED, NOW, slot) is None, "already past"
    assert reminder_at(policy, view, REMINDED, slot, NOW) is None, "not after the notice"
    assert reminder_at(policy, view, REMINDED, slot - timedelta(minutes=1), NOW) == slot


def test_a_reminder_inside_quiet_hours_waits_for_their_end() -> None:
    quiet = replace(REMINDED, quiet_hours=QuietHours(time(17, 0), time(19, 30)))
    at = reminder_at(ReminderPolicy(), stop_view(), quiet, NOW, NOW)
    assert at == datetime(2026, 11, 30, 19, 30, tzinfo=SEOUL)


# reminders: queued beside the notice, superseded with it


def with_reminders(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    uow.repo.save_preferences(REMINDED, NOW)
    return uow


def by_purpose(uow: FakeUnitOfWork, member_id: str) -> dict[tuple[int, DeliveryPurpose], Delivery]:
    return {
        (d.stop_version, d.purpose): d
        for d in uow.repo.deliveries.values()
        if d.member_id == member_id
    }


def test_a_member_who_chose_it_is_queued_a_reminder_with_the_notices_invitation() -> None:
    uow = with_reminders(FakeUnitOfWork())

    assert queue(uow, briefing_ready()) == 2, "reminders are not counted as notices"

    nowon = by_purpose(uow, "m-nowon")
    notice, reminder = nowon[(1, DeliveryPurpose.NOTICE)], nowon[(1, DeliveryPurpose.REMINDER)]
    assert reminder.next_attempt_at == datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)
    assert reminder.notice.kind is NoticeKind.REMINDER
    assert reminder.subject.startswith("[내일 일정 안내] 2026년 12월 1일(화) 14:00")
    assert "내일 있어 다시 알려드립니다" in reminder.notice.text_body
    assert reminder.reason.startswith("안내 사유: 전날 알림을 신청하셨습니다.")
    assert reminder.notice.ics == notice.notice.ics, "same UID, SEQUENCE (and DTSTAMP)"
    assert set(by_purpose(uow, "m-chair")) == {(1, DeliveryPurpose.NOTICE)}, "not chosen"


def test_a_move_supersedes_the_unsent_reminder_and_queues_one_for_the_new_time() -> None:
    uow = with_reminders(FakeUnitOfWork())
    queue(uow, briefing_ready())
    for delivery in uow.repo.deliveries.values():  # the notices went out; reminders wait
        if delivery.purpose is DeliveryPurpose.NOTICE:
            delivery.mark_sent(NOW)

    queue(uow, briefing_ready(StopChangeKind.RESCHEDULED, briefed(2, hour=24), briefed()))

    nowon = by_purpose(uow, "m-nowon")
    old = nowon[(1, DeliveryPurpose.REMINDER)]
    update = nowon[(2, DeliveryPurpose.NOTICE)]
    assert old.status is DeliveryStatus.SUPERSEDED
    assert update.replaces == nowon[(1, DeliveryPurpose.NOTICE)].id, "refers to the notice"
    new = nowon[(2, DeliveryPurpose.REMINDER)]
    assert new.next_attempt_at == datetime(2026, 12, 1, 18, 0, tzinfo=SEOUL)
    assert "12월 2일" in new.subject


def test_a_cancellation_supersedes_the_unsent_reminder_and_queues_none() -> None:
    uow = with_reminders(FakeUnitOfWork())
    queue(uow, briefing_ready())
    for delivery in uow.repo.deliveries.values():
        if delivery.purpose is DeliveryPurpose.NOTICE:
            delivery.mark_sent(NOW)

    queue(uow, briefing_ready(StopChangeKind.CANCELLED, briefed(2)))

    nowon = by_purpose(uow, "m-nowon")
    assert nowon[(1, DeliveryPurpose.REMINDER)].status is DeliveryStatus.SUPERSEDED
    assert (2, DeliveryPurpose.REMINDER) not in nowon
    assert nowon[(2, DeliveryPurpose.NOTICE)].notice.kind is NoticeKind.CANCELLATION


def test_an_excluded_member_loses_the_reminder_too_and_gets_both_back_when_added() -> None:
    uow = with_reminders(FakeUnitOfWork())
    queue(uow, briefing_ready())
    for action in (OverrideAction.EXCLUDE, OverrideAction.ADD):
        result = override_recipient(
            uow, "stop-1", "m-nowon", action, "확인", organizer_email=ORGANIZER,
            rules=RuleSet(), now=NOW,
        )  # fmt: skip
        assert result.override.action is action
        statuses = {p: d.status for (_, p), d in by_purpose(uow, "m-nowon").items()}
        expected = (
            DeliveryStatus.SUPERSEDED
            if action is OverrideAction.EXCLUDE
            else DeliveryStatus.PENDING
        )
        assert statuses == {DeliveryPurpose.NOTICE: expected, DeliveryPurpose.REMINDER: expected}


# follow-ups


def press_stop(**changes: object):  # type: ignore[no-untyped-def]
    return stop_view(category="press", policy_area="economy", **changes)


def test_progress_is_checked_and_only_a_press_announcement_that_took_place_qualifies() -> None:
    after = START + timedelta(hours=2)
    assert checked_progress(press_stop(), "  접수 시작  ", after) == "접수 시작"
    for stop, progress, now, field in [
        (press_stop(), "   ", after, "progress"),
        (press_stop(), "가" * 1001, after, "progress"),
        (stop_view(), "접수 시작", after, "stop_id"),  # a groundbreaking, not a press stop
        (press_stop(change=StopChangeKind.CANCELLED), "접수 시작", after, "stop_id"),
        (press_stop(), "접수 시작", START - timedelta(minutes=1), "stop_id"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            checked_progress(stop, progress, now)
        assert raised.value.field == field


def delivery_to(member_id: str, status: DeliveryStatus, purpose: DeliveryPurpose) -> Delivery:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())
    template = next(iter(uow.repo.deliveries.values()))
    notice = replace(template.notice, recipient_id=member_id)
    return replace(template, id=f"nt-{member_id}", notice=notice, status=status, purpose=purpose)


def test_told_means_a_notice_was_sent_and_no_operator_excluded_them_since() -> None:
    history = [
        delivery_to("m-a", DeliveryStatus.SENT, DeliveryPurpose.NOTICE),
        delivery_to("m-b", DeliveryStatus.PENDING, DeliveryPurpose.NOTICE),
        delivery_to("m-c", DeliveryStatus.SENT, DeliveryPurpose.REMINDER),
        delivery_to("m-d", DeliveryStatus.SENT, DeliveryPurpose.NOTICE),
    ]
    exclude = Override("stop-1", "m-d", OverrideAction.EXCLUDE, "불참", NOW)
    assert told_of(history, [exclude]) == ["m-a"]
    assert next_number([]) == 1


def press_uow() -> FakeUnitOfWork:
    """A press announcement (economy: no committee members in the roster, so the chair is
    told) whose notice to the chair was sent, then the announcement took place."""
    uow = FakeUnitOfWork()
    press = with_fields(category="press", policy_area="economy")
    queue(uow, briefing_ready(stop=press))
    for delivery in uow.repo.deliveries.values():
        delivery.mark_sent(NOW)
    return uow


def test_each_progress_mark_queues_a_numbered_follow_up_to_whoever_was_told() -> None:
    uow = press_uow()
    after = START + timedelta(days=1)

    first = mark_follow_up(
        uow, "stop-1", "예산 편성 완료", organizer_email=ORGANIZER, rules=RuleSet(), now=after
    )
    second = mark_follow_up(
        uow, "stop-1", "사업 공고", organizer_email=ORGANIZER, rules=RuleSet(), now=after
    )

    assert (first.follow_up.number, second.follow_up.number) == (1, 2)
    follow_ups = [d for d in uow.repo.deliveries.values() if d.purpose is DeliveryPurpose.FOLLOW_UP]
    assert sorted((d.member_id, d.follow_up_no) for d in follow_ups) == [
        ("m-chair", 1),
        ("m-chair", 2),
    ]
    one = uow.repo.deliveries[first.notice_ids[0]]
    assert one.subject.startswith("[후속 안내] 2026년 12월 1일(화) 14:00")
    assert "■ 진행 상황: 예산 편성 완료" in one.notice.text_body
    assert "언론 발표 이후의 진행 상황" in one.notice.text_body
    assert one.notice.ics == b"", "nothing changes in the calendar"
    assert one.next_attempt_at == after, "at once"
    why = why_notified(uow, one.id)
    assert why.follow_up is not None and why.follow_up.progress == "예산 편성 완료"
    assert why.decisions, "and the decisions that told them of the announcement"


def test_a_follow_up_of_an_unknown_stop_is_not_found() -> None:
    with pytest.raises(NotFound):
        mark_follow_up(
            FakeUnitOfWork(), "nope", "진행", organizer_email=ORGANIZER, rules=RuleSet(), now=NOW
        )


# digests


def digest_deliveries(member_id: str = "m-nowon", count: int = 3) -> list[Delivery]:
    uow = FakeUnitOfWork()
    uow.repo.save_preferences(Preferences(member_id, daily_digest=True), NOW)
    for index in range(count):
        starts = START + timedelta(hours=index)
        stop = with_fields(
            stop_id=f"stop-{index}", title=f"현장 {index}", starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )  # fmt: skip
        queue(uow, briefing_ready(stop=stop))
    return sorted(
        (d for d in uow.repo.deliveries.values() if d.member_id == member_id),
        key=lambda d: d.stop_id,
    )


def test_a_digest_member_s_notices_share_a_digest_slot_and_go_as_one_unit() -> None:
    deliveries = digest_deliveries()
    slots = {d.digest_at for d in deliveries}
    assert slots == {datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)}, "the digest after the lead"
    other = replace(deliveries[0], id="nt-other", digest_at=None)
    units = sending_units([deliveries[0], other, *deliveries[1:]])
    assert [[d.id for d in u] for u in units] == [
        [deliveries[0].id, deliveries[1].id, deliveries[2].id],
        ["nt-other"],
    ]


def test_a_digest_lists_every_stop_with_when_where_why_and_attaches_each_invitation() -> None:
    deliveries = digest_deliveries()
    digest = compose_digest(deliveries)

    assert digest.subject == "[묶음 안내] 2026년 11월 30일(월) 08:00 시장 일정 안내 3건"
    assert digest.text_body.startswith("의원 m-nowon 의원님께")
    for index, delivery in enumerate(deliveries):
        assert f"현장 {index}" in digest.text_body
        assert delivery.notice.summary in digest.text_body
        assert "월계역 환승주차장(노원구)" in delivery.notice.summary
    assert digest.text_body.count("안내 사유:") >= 3
    assert [i.ics for i in digest.invitations] == [d.notice.ics for d in deliveries]
    assert digest.key == digest_key([d.id for d in reversed(deliveries)]), "order-free"

    raw = build_digest_message(digest, "s@seoul.example", "비서실")
    assert raw == build_digest_message(
        compose_digest(deliveries[::-1]), "s@seoul.example", "비서실"
    )
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Message-ID"] == f"<dg-{digest.key}@dongseon>"
    invites = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(invites) == 3


def test_a_follow_up_mail_carries_no_invitation() -> None:
    uow = press_uow()
    result = mark_follow_up(
        uow, "stop-1", "공고", organizer_email=ORGANIZER, rules=RuleSet(), now=START
    )
    raw = build_message(uow.repo.deliveries[result.notice_ids[0]], "s@seoul.example", "비서실")
    message = message_from_bytes(raw, policy=policy.default)
    assert not [p for p in message.walk() if p.get_content_type() == "text/calendar"]


class DigestMailer:
    def __init__(self) -> None:
        self.single: list[str] = []
        self.digests: list[Digest] = []

    async def send(self, delivery: Delivery) -> None:
        self.single.append(delivery.id)

    async def send_digest(self, digest: Digest) -> None:
        self.digests.append(digest)


async def test_the_dispatcher_sends_a_digest_as_one_mail_and_announces_each_notice() -> None:
    uow = FakeUnitOfWork()
    for delivery in digest_deliveries():
        uow.repo.add_deliveries([replace(delivery, next_attempt_at=NOW)])
    alone = replace(next(iter(uow.repo.deliveries.values())), id="nt-alone", digest_at=None)
    uow.repo.add_deliveries([alone])
    mailer = DigestMailer()
    dispatcher = NoticeDispatcher(lambda: uow, mailer, FakeRelay(), max_attempts=2, poll_seconds=60)

    assert await dispatcher.send_due() == 4

    assert mailer.single == ["nt-alone"]
    [digest] = mailer.digests
    assert len(digest.deliveries) == 3
    assert {d.status for d in uow.repo.deliveries.values()} == {DeliveryStatus.SENT}
    sent = [e.payload.notice_id for e in uow.published if e.type == NOTICE_SENT.type]
    assert sorted(sent) == sorted(uow.repo.deliveries)


async def test_a_digest_the_server_refuses_leaves_every_notice_of_it_pending() -> None:
    class Refusing(DigestMailer):
        async def send_digest(self, digest: Digest) -> None:
            raise ConnectionError("mail server down")

    uow = FakeUnitOfWork()
    for delivery in digest_deliveries():
        uow.repo.add_deliveries([replace(delivery, next_attempt_at=NOW)])
    dispatcher = NoticeDispatcher(
        lambda: uow, Refusing(), FakeRelay(), max_attempts=3, poll_seconds=60
    )

    assert await dispatcher.send_due() == 0

    states = {(d.status, d.attempts) for d in uow.repo.deliveries.values()}
    assert states == {(DeliveryStatus.PENDING, 1)}
    assert not [e for e in uow.published if e.type == NOTICE_SENT.type]


def test_members_without_preferences_get_plain_notices_only() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())
    assert {d.purpose for d in uow.repo.deliveries.values()} == {DeliveryPurpose.NOTICE}
    assert {d.digest_at for d in uow.repo.deliveries.values()} == {None}


# notice events say the purpose


def test_notice_sent_and_failed_say_the_purpose_of_the_delivery() -> None:
    uow = with_reminders(FakeUnitOfWork())
    queue(uow, briefing_ready())
    nowon = by_purpose(uow, "m-nowon")
    notice, reminder = nowon[(1, DeliveryPurpose.NOTICE)], nowon[(1, DeliveryPurpose.REMINDER)]

    handlers.record_notice_sent(uow, reminder.id, now=NOW)
    handlers.record_notice_failed(uow, notice.id, "451 later", now=NOW, max_attempts=3)

    by_type = {e.type: e.payload for e in uow.published}
    assert by_type[NOTICE_SENT.type].purpose is NoticePurpose.REMINDER
    assert by_type[NOTICE_FAILED.type].purpose is NoticePurpose.NOTICE


def test_a_notice_event_published_before_the_purpose_reads_as_a_notice() -> None:
    payload = {
        "notice_id": "nt-1", "stop_id": "stop-1", "stop_version": 1, "change": "scheduled",
        "recipient_id": "m-1", "subject": "[사전안내] …", "sent_at": "2026-12-01T00:00:00Z",
    }  # fmt: skip
    raw = NOTICE_SENT.envelope(
        NoticeSent.model_validate(payload | {"purpose": "reminder"}),
        producer="notifier",
        correlation_id="c",
    ).model_dump_json()
    older = raw.replace(',"purpose":"reminder"', "")
    assert '"purpose"' not in older

    assert read_event(older).payload.purpose is NoticePurpose.NOTICE
    assert read_event(raw).payload.purpose is NoticePurpose.REMINDER
    assert (NOTICE_SENT.version, NOTICE_FAILED.version) == (1, 1), "an added field: same version"


def test_every_delivery_purpose_is_a_purpose_of_the_events() -> None:
    """A withdrawal travels as a notice (its CANCEL is the mail's); the contract's enum
    stays as version 1 readers know it."""
    told = [p.value for p in DeliveryPurpose if p is not DeliveryPurpose.WITHDRAWAL]
    assert told == [p.value for p in NoticePurpose]


def test_turning_reminders_off_drops_the_ones_not_yet_sent() -> None:
    uow = with_reminders(FakeUnitOfWork())
    queue(uow, briefing_ready())
    [reminder] = [
        d for (_, p), d in by_purpose(uow, "m-nowon").items() if p is DeliveryPurpose.REMINDER
    ]
    assert reminder.status is DeliveryStatus.PENDING

    update_preferences(uow, replace(REMINDED, day_before_reminder=False), NOW)

    assert uow.repo.deliveries[reminder.id].status is DeliveryStatus.SUPERSEDED
    notice = by_purpose(uow, "m-nowon")[(1, DeliveryPurpose.NOTICE)]
    assert notice.status is DeliveryStatus.PENDING, "the notice itself still goes"


def test_turning_reminders_on_queues_one_beside_each_invitation_held_once() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())  # m-nowon told, no reminder chosen yet
    assert (1, DeliveryPurpose.REMINDER) not in by_purpose(uow, "m-nowon")

    for _ in range(2):  # on, and on again: still one
        update_preferences(uow, REMINDED, NOW, organizer_email=ORGANIZER)

    mine = by_purpose(uow, "m-nowon")
    reminder = mine[(1, DeliveryPurpose.REMINDER)]
    notice = mine[(1, DeliveryPurpose.NOTICE)]
    assert reminder.status is DeliveryStatus.PENDING
    assert reminder.notice.kind is NoticeKind.REMINDER
    assert reminder.next_attempt_at > notice.next_attempt_at
    assert reminder.reason.startswith("안내 사유: 전날 알림을 신청하셨습니다.")
    assert notice.reason.removeprefix("안내 사유: ") in reminder.reason, "the notice's reasons"
    assert [d.purpose for d in uow.repo.deliveries.values()].count(DeliveryPurpose.REMINDER) == 1
    told = [line for line in notice.notice.text_body.splitlines() if "함께 안내받은 분" in line]
    assert told and told[0] in reminder.notice.text_body, "who else was told, as in the notice"

    update_preferences(uow, replace(REMINDED, day_before_reminder=False), NOW)
    update_preferences(uow, REMINDED, NOW, organizer_email=ORGANIZER)
    again = by_purpose(uow, "m-nowon")[(1, DeliveryPurpose.REMINDER)]
    assert again.id == reminder.id and again.status is DeliveryStatus.PENDING, "its row reused"
