"""The dispatcher's claims, retries and refusals against fakes of its own ports."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosmtplib
import pytest

from schemas.vocabulary import StopChangeKind
from services.notifier import handlers
from services.notifier.adapters.smtp import refusal
from services.notifier.dispatcher import NoticeDispatcher
from services.notifier.domain.calendar import IcsMethod
from services.notifier.domain.deliveries import (
    Backoff,
    Cause,
    Delivery,
    DeliveryRefused,
    DeliveryStatus,
    SendOutcome,
)
from services.notifier.domain.notices import Notice, NoticeKind

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def delivery(index: int, to: str | None = None, at: datetime = NOW) -> Delivery:
    return Delivery(
        id=f"nt-{index}",
        stop_id="stop-1",
        stop_version=1,
        change=StopChangeKind.SCHEDULED,
        notice=Notice(
            recipient_id=f"m-{index}",
            to_address=to or f"m{index}@council.example",
            kind=NoticeKind.ADVANCE,
            subject="[사전안내]",
            text_body="",
            html_body="",
            ics=b"",
            ics_method=IcsMethod.REQUEST,
        ),
        cause=Cause("req-1", None, "seoul"),
        created_at=at,
        next_attempt_at=at,
    )


class ClaimsRepository:
    """Deliveries with claims, as the SQL repository keeps them (copies in, copies out)."""

    def __init__(self, deliveries: list[Delivery]) -> None:
        self.rows = {d.id: replace(d) for d in deliveries}

    def claim_due(
        self, claimant: str, now: datetime, lease: timedelta, limit: int = 100
    ) -> list[Delivery]:
        due = sorted(
            (d for d in self.rows.values() if d.claimable(now)),
            key=lambda d: (d.next_attempt_at, d.id),
        )[:limit]
        for row in due:
            row.claim(claimant, now + lease)
        return [replace(d) for d in due]

    def save_deliveries(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            self.save_delivery(delivery)

    def deliveries_to_record(self, delivery_ids: list[str]) -> list[Delivery]:
        return [replace(self.rows[i]) for i in delivery_ids if i in self.rows]

    def get_delivery(self, delivery_id: str) -> Delivery | None:
        row = self.rows.get(delivery_id)
        return replace(row) if row else None

    def save_delivery(self, delivery: Delivery) -> None:
        self.rows[delivery.id] = replace(delivery)


class FakeUow:
    office_id = "seoul"

    def __init__(self, repo: ClaimsRepository) -> None:
        self.repo = repo
        self.published: list[Any] = []

    def __enter__(self) -> FakeUow:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def commit(self) -> None:
        pass

    def publish(self, kind: Any, envelope: Any) -> None:
        self.published.append(envelope)


class Mailer:
    """Accepts mail after yielding to the loop (so dispatchers interleave); refusals per address."""

    def __init__(self, refuse: dict[str, Exception] | None = None) -> None:
        self.refuse = refuse or {}
        self.sent: list[str] = []

    async def send(self, delivery: Delivery) -> None:
        await asyncio.sleep(0)
        if delivery.to_address in self.refuse:
            raise self.refuse[delivery.to_address]
        self.sent.append(delivery.id)


class Relay:
    def kick(self) -> None:
        pass


def dispatcher(uow: FakeUow, mailer: Mailer, **options: Any) -> NoticeDispatcher:
    defaults: dict[str, Any] = {
        "max_attempts": 3,
        "poll_seconds": 60,
        "batch_size": 5,
        "record_every": 2,
    }
    return NoticeDispatcher(lambda: uow, mailer, Relay(), **(defaults | options))


async def test_two_dispatchers_sharing_the_claims_send_each_notice_once() -> None:
    repo = ClaimsRepository([delivery(i) for i in range(40)])
    mailer = Mailer()
    first = dispatcher(FakeUow(repo), mailer, claimant="a")
    second = dispatcher(FakeUow(repo), mailer, claimant="b")

    counts = await asyncio.gather(first.send_due(), second.send_due())

    assert sorted(mailer.sent) == sorted(f"nt-{i}" for i in range(40))
    assert sum(counts) == 40 and all(counts), "both took part, neither twice"
    assert {d.status for d in repo.rows.values()} == {DeliveryStatus.SENT}
    assert all(d.claimed_by is None for d in repo.rows.values()), "claims are released"


async def test_a_claim_held_by_a_live_dispatcher_is_not_taken_until_its_lease_runs_out() -> None:
    repo = ClaimsRepository([delivery(1)])
    [held] = repo.claim_due("crashed", datetime.now(UTC), timedelta(seconds=60))
    mailer = Mailer()

    assert await dispatcher(FakeUow(repo), mailer).send_due() == 0
    repo.rows[held.id].lease_until = datetime.now(UTC) - timedelta(seconds=1)  # it ran out
    assert await dispatcher(FakeUow(repo), mailer).send_due() == 1
    assert mailer.sent == ["nt-1"]


async def test_a_refused_address_fails_at_once_with_its_reason() -> None:
    repo = ClaimsRepository([delivery(1), delivery(2, to="gone@council.example")])
    uow = FakeUow(repo)
    mailer = Mailer({"gone@council.example": DeliveryRefused("수신 거부 (550 No such user)")})

    assert await dispatcher(uow, mailer).send_due() == 1

    gone = repo.rows["nt-2"]
    assert (gone.status, gone.attempts) == (DeliveryStatus.FAILED, 1)
    assert gone.last_error == "수신 거부 (550 No such user)"
    [failed] = [e for e in uow.published if e.type == "notice.failed"]
    assert failed.payload.final is True and failed.payload.next_attempt_at is None
    assert await dispatcher(uow, mailer).send_due() == 0, "never tried again"


async def test_a_transient_failure_is_retried_with_backoff_then_given_up() -> None:
    repo = ClaimsRepository([delivery(1, to="down@council.example", at=datetime.now(UTC))])
    uow = FakeUow(repo)
    mailer = Mailer({"down@council.example": ConnectionError("connection refused")})
    send = dispatcher(uow, mailer, max_attempts=2, backoff=Backoff(base_seconds=30))

    await send.send_due()
    row = repo.rows["nt-1"]
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 1)
    assert row.next_attempt_at - datetime.now(UTC) > timedelta(seconds=25)
    assert await send.send_due() == 0, "not due before its backoff"
    row.next_attempt_at = datetime.now(UTC)
    await send.send_due()
    assert (repo.rows["nt-1"].status, repo.rows["nt-1"].attempts) == (DeliveryStatus.FAILED, 2)
    finals = [e.payload.final for e in uow.published]
    assert finals == [False, True]


async def test_a_notice_whose_lease_is_half_gone_is_left_for_the_next_round() -> None:
    repo = ClaimsRepository([delivery(1)])
    mailer = Mailer()
    send = dispatcher(FakeUow(repo), mailer, lease=timedelta(seconds=60))
    [claimed] = repo.claim_due(
        send.claimant, datetime.now(UTC) - timedelta(seconds=40), send._lease
    )

    assert await send._send_claimed([claimed]) == 0
    assert mailer.sent == []


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(base_seconds=2, max_seconds=10)
    assert [backoff.delay(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 10]


def test_recording_outcomes_announces_each_once() -> None:
    repo = ClaimsRepository([delivery(1)])
    uow = FakeUow(repo)
    outcomes = [SendOutcome("nt-1", NOW), SendOutcome("nt-1", NOW)]

    assert handlers.record_outcomes(uow, outcomes, max_attempts=3) == 1  # type: ignore[arg-type]
    assert [e.type for e in uow.published] == ["notice.sent"]


@pytest.mark.parametrize(
    ("error", "final"),
    [
        (
            aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(550, "no", "x@y")]),
            True,
        ),
        (
            aiosmtplib.SMTPRecipientsRefused([aiosmtplib.SMTPRecipientRefused(450, "busy", "x@y")]),
            False,
        ),
        (aiosmtplib.SMTPDataError(554, "rejected"), True),
        (aiosmtplib.SMTPDataError(451, "try later"), False),
        (aiosmtplib.SMTPConnectError("refused"), False),
        (aiosmtplib.SMTPSenderRefused(550, "bad sender", "s@x"), False),
    ],
)
def test_only_a_5xx_for_the_recipient_or_message_is_final(error: Exception, final: bool) -> None:
    assert (refusal(error) is not None) is final
