"""The notifier's use cases and dispatcher against fakes of its own ports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from recipient_fakes import FakeRecipientQueries

from schemas.briefing import BriefedStop, BriefingReady, TalkingPoint
from schemas.envelope import Envelope
from schemas.events import BRIEFING_READY, NOTICE_FAILED, NOTICE_SENT, EventKind
from schemas.vocabulary import StopChangeKind
from services.notifier import handlers
from services.notifier.adapters.events import briefed_views
from services.notifier.dispatcher import NoticeDispatcher
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import Delivery, DeliveryStatus
from services.notifier.domain.feeds import FeedEntry, withdrawn_for_member
from services.notifier.domain.notices import NoticeKind
from services.notifier.domain.recipients import CouncilMember
from services.notifier.domain.stops import StopView

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
ORGANIZER = "schedule@seoul.example"


def member(id: str, district: str | None, roles: frozenset[str] = frozenset()) -> CouncilMember:
    return CouncilMember(
        id=id,
        name=f"의원 {id}",
        email=f"{id}@council.example",
        district=district,
        committees=frozenset(),
        roles=roles,
        caucus="가당",
    )


ROSTER = [
    member("m-nowon", "노원구"),
    member("m-dobong", "도봉구"),
    member("m-chair", None, frozenset({"chair"})),
    member("m-gangnam", "강남구"),
]


class FakeNotifierRepository(FakeRecipientQueries):
    def __init__(self, roster: Sequence[CouncilMember] = ROSTER) -> None:
        self.members = {m.id: m for m in roster}
        self.tokens: dict[str, str] = {}
        self.stop_views: dict[str, StopView] = {}
        self.audience: set[tuple[str, str]] = set()
        self.withdrawn: dict[tuple[str, str], int] = {}
        self.deliveries: dict[str, Delivery] = {}

    def upsert_member(self, member: CouncilMember) -> None:
        self.members[member.id] = member

    def roster(self) -> list[CouncilMember]:
        return sorted(self.members.values(), key=lambda m: m.id)

    def get_member(self, member_id: str) -> CouncilMember | None:
        return self.members.get(member_id)

    def feed_token(self, owner: str, now: datetime) -> str:
        return self.tokens.setdefault(owner, f"token-{owner}")

    def token_owner(self, token: str) -> str | None:
        return next((o for o, t in self.tokens.items() if t == token), None)

    def token_of(self, owner: str) -> str | None:
        return self.tokens.get(owner)

    def feed_entries(self, member_id: str | None = None) -> list[FeedEntry]:
        if member_id is None:
            return [FeedEntry(s, NOW) for s in self.stops()]
        return [
            FeedEntry(withdrawn_for_member(s, self.withdrawn.get((s.stop_id, member_id))), NOW)
            for s in self.stops_for_member(member_id)
        ]

    def feed_fingerprint(self, member_id: str | None = None) -> tuple[Any, ...]:
        return tuple(
            (e.stop.stop_id, e.stop.version, e.stop.change) for e in self.feed_entries(member_id)
        )

    def save_stop_if_newer(self, stop: StopView, changed_at: datetime | None = None) -> bool:
        known = self.stop_views.get(stop.stop_id)
        if known is not None and known.version >= stop.version:
            return False
        self.stop_views[stop.stop_id] = stop
        return True

    def stops(self) -> list[StopView]:
        return sorted(self.stop_views.values(), key=lambda s: (s.starts_at, s.stop_id))

    def stops_for_member(self, member_id: str) -> list[StopView]:
        return [s for s in self.stops() if (s.stop_id, member_id) in self.audience]

    def add_audience(self, stop_id: str, member_ids: Sequence[str]) -> None:
        self.audience |= {(stop_id, m) for m in member_ids}
        for m in member_ids:
            self.withdrawn.pop((stop_id, m), None)

    def withdraw_audience(self, stop_id: str, member_ids: Sequence[str]) -> None:
        version = self.stop_views[stop_id].version
        for m in member_ids:
            if (stop_id, m) in self.audience:
                self.withdrawn[(stop_id, m)] = version

    def delivery_exists(self, stop_id: str, stop_version: int, member_id: str) -> bool:
        return any(
            (d.stop_id, d.stop_version, d.member_id) == (stop_id, stop_version, member_id)
            for d in self.deliveries.values()
        )

    def add_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self.deliveries[delivery.id] = replace(delivery)

    def save_delivery(self, delivery: Delivery) -> None:
        self.deliveries[delivery.id] = replace(delivery)

    def get_delivery(self, delivery_id: str) -> Delivery | None:
        found = self.deliveries.get(delivery_id)
        return replace(found) if found else None  # a copy, as a database would give

    def due_deliveries(self, now: datetime, limit: int = 50) -> list[Delivery]:
        due = [
            replace(d)
            for d in self.deliveries.values()
            if d.status is DeliveryStatus.PENDING and d.next_attempt_at <= now
        ]
        return sorted(due, key=lambda d: (d.created_at, d.id))[:limit]

    def save_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self.save_delivery(delivery)

    def deliveries_to_record(self, delivery_ids: Sequence[str]) -> list[Delivery]:
        return [replace(self.deliveries[i]) for i in delivery_ids if i in self.deliveries]

    def claim_due(
        self, claimant: str, now: datetime, lease: timedelta, limit: int = 100
    ) -> list[Delivery]:
        due = [d for d in self.deliveries.values() if d.claimable(now)]
        for delivery in sorted(due, key=lambda d: (d.next_attempt_at, d.id))[:limit]:
            delivery.claim(claimant, now + lease)
        return [replace(d) for d in due if d.claimed_by == claimant][:limit]

    def recent_deliveries(self, limit: int = 200) -> list[Delivery]:
        return sorted(self.deliveries.values(), key=lambda d: d.created_at, reverse=True)[:limit]


class FakeUnitOfWork:
    """Staged events count as published only once committed; the inbox is a set."""

    office_id = "seoul"

    def __init__(self) -> None:
        self._repo = FakeNotifierRepository()
        self.published: list[Envelope[Any]] = []
        self._staged: list[Envelope[Any]] = []
        self._handled: set[UUID] = set()

    @property
    def repo(self) -> FakeNotifierRepository:
        return self._repo

    def __enter__(self) -> FakeUnitOfWork:
        self._staged = []
        return self

    def __exit__(self, *_: object) -> None:
        self._staged = []

    def commit(self) -> None:
        self.published += self._staged
        self._staged = []

    def publish(self, kind: EventKind[Any], envelope: Envelope[Any]) -> None:
        assert envelope.type == kind.type
        self._staged.append(envelope)

    def already_handled(self, event_id: UUID) -> bool:
        return event_id in self._handled

    def remember(self, envelope: Envelope[Any]) -> None:
        self._handled.add(envelope.id)


class FakeMailer:
    """Accepts every notice except those to `refuse`; keeps what it accepted."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.refuse = refuse
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        if delivery.to_address in self.refuse:
            raise ConnectionError("mail server refused")
        self.sent.append(delivery)


class FakeRelay:
    def __init__(self) -> None:
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


def briefed(version: int = 1, district: str = "노원구", hour: int = 0) -> BriefedStop:
    starts_at = START + timedelta(hours=hour)
    return BriefedStop(
        stop_id="stop-1",
        version=version,
        title="송전선로 지중화 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        place_name="월계역 환승주차장",
        district=district,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        public=True,
        important=True,
        requesting_department="도시기반시설본부",
    )


def briefing_ready(
    change: StopChangeKind = StopChangeKind.SCHEDULED,
    stop: BriefedStop | None = None,
    previous: BriefedStop | None = None,
    cancellation_reason: str | None = None,
) -> Envelope[Any]:
    payload = BriefingReady(
        briefing_id="br-1",
        change=change,
        stop=stop or briefed(),
        previous=previous,
        summary="요약",
        talking_points=[TalkingPoint(heading="방문 목적", text="착공 축하")],
        knowledge_base_version="kb-1",
        cancellation_reason=cancellation_reason,
    )
    return BRIEFING_READY.envelope(
        payload, producer="briefing", correlation_id="req-42", causation_id=uuid.uuid4()
    )


def queue(uow: FakeUnitOfWork, event: Envelope[Any]) -> int:
    return handlers.when_briefing_ready_queue_notices(
        uow, event, organizer_email=ORGANIZER, now=NOW
    )


def test_briefing_ready_queues_one_delivery_per_recipient_remembering_its_cause() -> None:
    uow, event = FakeUnitOfWork(), briefing_ready()

    assert queue(uow, event) == 2

    deliveries = sorted(uow.repo.deliveries.values(), key=lambda d: d.member_id)
    assert [d.member_id for d in deliveries] == ["m-chair", "m-nowon"]
    for delivery in deliveries:
        assert delivery.status is DeliveryStatus.PENDING
        assert delivery.next_attempt_at == START - timedelta(hours=48), "at the lead time"
        assert delivery.reason.startswith("안내 사유: ")
        assert (delivery.cause.correlation_id, delivery.cause.event_id) == ("req-42", event.id)
        assert delivery.cause.office_id == "seoul"
        assert delivery.notice.kind is NoticeKind.ADVANCE
        assert delivery.notice.ics_method is IcsMethod.REQUEST
        assert delivery.subject.startswith("[사전안내]")
    assert uow.repo.stop_views["stop-1"].version == 1
    assert uow.repo.audience == {("stop-1", "m-chair"), ("stop-1", "m-nowon")}
    assert uow.published == [], "queueing publishes nothing; sending does"


def test_the_same_briefing_or_stop_version_never_queues_twice() -> None:
    uow, event = FakeUnitOfWork(), briefing_ready()

    assert queue(uow, event) == 2
    assert queue(uow, event) == 0
    assert queue(uow, event.model_copy(update={"id": uuid.uuid4()})) == 0
    assert len(uow.repo.deliveries) == 2


def test_a_move_tells_the_members_of_the_old_and_the_new_district() -> None:
    uow = FakeUnitOfWork()
    moved = briefing_ready(
        StopChangeKind.RESCHEDULED, stop=briefed(2, "도봉구", hour=2), previous=briefed()
    )

    assert queue(uow, moved) == 3

    members = {d.member_id: d for d in uow.repo.deliveries.values()}
    assert set(members) == {"m-chair", "m-dobong", "m-nowon"}
    assert members["m-nowon"].notice.kind is NoticeKind.REMOVAL, "no longer their district"
    assert members["m-nowon"].notice.ics_method is IcsMethod.CANCEL
    assert "노원구 → 도봉구" in members["m-nowon"].notice.text_body, "and why"
    assert members["m-chair"].notice.kind is NoticeKind.UPDATE
    assert members["m-dobong"].notice.kind is NoticeKind.ADVANCE, "never told: told as new"
    assert " → " in members["m-chair"].notice.text_body, "the old and new times are shown"


def test_a_cancellation_sends_a_cancel_invite() -> None:
    uow = FakeUnitOfWork()

    queue(uow, briefing_ready(StopChangeKind.CANCELLED, stop=briefed(2)))

    assert {d.notice.ics_method for d in uow.repo.deliveries.values()} == {IcsMethod.CANCEL}
    assert {d.notice.kind for d in uow.repo.deliveries.values()} == {NoticeKind.CANCELLATION}
    assert all("취소 사유" not in d.notice.text_body for d in uow.repo.deliveries.values())


def test_a_cancellation_notice_says_why_the_stop_was_cancelled() -> None:
    uow = FakeUnitOfWork()

    queue(
        uow, briefing_ready(StopChangeKind.CANCELLED, briefed(2), cancellation_reason="요청 철회")
    )

    bodies = [d.notice.text_body for d in uow.repo.deliveries.values()]
    assert bodies and all("취소 사유" in b and "요청 철회" in b for b in bodies)
    assert uow.repo.stop_views["stop-1"].cancellation_reason == "요청 철회"


def test_only_a_cancellation_carries_a_reason_into_the_stop_view() -> None:
    scheduled = briefing_ready(cancellation_reason="요청 철회").payload
    assert briefed_views(scheduled)[0].cancellation_reason is None


def dispatcher(uow: FakeUnitOfWork, mailer: FakeMailer, relay: FakeRelay) -> NoticeDispatcher:
    return NoticeDispatcher(lambda: uow, mailer, relay, max_attempts=2, poll_seconds=60)


async def test_dispatcher_sends_due_notices_and_retries_failures_in_the_same_chain() -> None:
    uow, event = FakeUnitOfWork(), briefing_ready()
    queue(uow, event)
    mailer, relay = FakeMailer(refuse=frozenset({"m-chair@council.example"})), FakeRelay()

    assert await dispatcher(uow, mailer, relay).send_due() == 1

    assert [d.member_id for d in mailer.sent] == ["m-nowon"]
    by_member = {d.member_id: d for d in uow.repo.deliveries.values()}
    sent, failed = by_member["m-nowon"], by_member["m-chair"]
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 1)
    assert sent.sent_at is not None
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 1)
    assert failed.last_error and "refused" in failed.last_error
    assert failed.next_attempt_at > failed.created_at, "retried later, with backoff"
    assert sorted(e.type for e in uow.published) == [NOTICE_FAILED.type, NOTICE_SENT.type]
    for notice_event in uow.published:
        assert notice_event.correlation_id == "req-42"
        assert notice_event.causation_id == event.id
        assert notice_event.office_id == "seoul"
        assert notice_event.payload.stop_id == "stop-1"
    assert relay.kicks == 1


async def test_dispatcher_gives_up_after_max_attempts_and_never_resends() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())
    mailer, relay = FakeMailer(refuse=frozenset({"m-chair@council.example"})), FakeRelay()
    send = dispatcher(uow, mailer, relay)

    await send.send_due()
    for delivery in uow.repo.deliveries.values():
        delivery.next_attempt_at = NOW  # the retry is due at once
    await send.send_due()

    by_member = {d.member_id: d for d in uow.repo.deliveries.values()}
    assert (by_member["m-chair"].status, by_member["m-chair"].attempts) == (
        DeliveryStatus.FAILED,
        2,
    )
    assert [d.member_id for d in mailer.sent] == ["m-nowon"], "a sent notice is never resent"
    assert await send.send_due() == 0


def test_recording_a_send_twice_announces_it_once() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())
    delivery_id = next(iter(uow.repo.deliveries))

    handlers.record_notice_sent(uow, delivery_id, now=NOW)
    handlers.record_notice_sent(uow, delivery_id, now=NOW)
    handlers.record_notice_failed(uow, delivery_id, "late", now=NOW, max_attempts=3)

    assert [e.type for e in uow.published] == [NOTICE_SENT.type]
    assert uow.repo.deliveries[delivery_id].status is DeliveryStatus.SENT


def test_member_feed_shows_only_the_stops_the_member_was_told_of() -> None:
    uow = FakeUnitOfWork()
    queue(uow, briefing_ready())

    told = handlers.member_feed(uow, "m-nowon", uow.repo.feed_token("m-nowon", NOW), NOW)
    untold = handlers.member_feed(uow, "m-gangnam", uow.repo.feed_token("m-gangnam", NOW), NOW)

    assert b"UID:stop-1@" in told
    assert b"BEGIN:VEVENT" not in untold
