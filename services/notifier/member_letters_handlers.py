"""Use cases of the members' letters: queue the answer to a request, queue the session
reports, claim due letters and record what became of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from schemas.envelope import Envelope
from schemas.member_requests import MemberRequestAnswered
from services.common.errors import InvalidInput
from services.notifier.adapters.member_letters_repository import SqlMemberLetterRepository
from services.notifier.domain.deliveries import Backoff, Cause, SendOutcome
from services.notifier.domain.member_letters import (
    AnsweredItem,
    Letter,
    LetterContent,
    LetterKind,
    compose_answer_letter,
    compose_session_report,
    origin_of,
    report_key,
)
from services.notifier.settings import NotifierSettings
from services.notifier.unit_of_work import SqlNotifierUnitOfWork

SESSION_NAME = re.compile(r"^제\d+회 \S.*$")


class SqlMemberLettersUnitOfWork(SqlNotifierUnitOfWork):
    """The notifier's transaction, with the letters' repository beside the roster's."""

    def __enter__(self) -> SqlMemberLettersUnitOfWork:
        super().__enter__()
        self.letters = SqlMemberLetterRepository(self.session, self.office_id)
        return self


LettersUnitOfWork = SqlMemberLettersUnitOfWork


class MemberLetterPorts(Protocol):
    """What the consumer and the route use of the running notifier's letters."""

    @property
    def settings(self) -> NotifierSettings: ...

    @property
    def letters_uow(self) -> Callable[[], LettersUnitOfWork]: ...

    def letters_queued(self) -> None:
        """New letters wait: send them soon."""
        ...


def answered_item(event: MemberRequestAnswered, origin: str) -> AnsweredItem:
    return AnsweredItem(
        request_id=event.request_id,
        member_id=event.member_id,
        member_name=event.member_name,
        kind=str(event.kind),
        text=event.text,
        district=event.district,
        origin=origin,
        department=event.department,
        action_taken=event.action_taken,
        answered_at=event.answered_at,
    )


def _letter_for(
    uow: LettersUnitOfWork,
    key: str,
    kind: LetterKind,
    member_id: str,
    content: LetterContent,
    cause: Cause,
    now: datetime,
) -> Letter:
    """Queued to the member's roster address; failed at once for a member not on it."""
    member = uow.repo.get_member(member_id)
    if member is None:
        return Letter.undeliverable(key, kind, member_id, content, cause, now)
    return Letter.queue(key, kind, member_id, member.email, content, cause, now)


def when_request_answered_queue_letter(
    uow: LettersUnitOfWork, envelope: Envelope[Any], *, contact: str | None, now: datetime
) -> bool:
    """One letter per answer of a request (inbox by event id, unique key per answer); the
    answer is also kept for the member's next session report. True if a letter waits."""
    event: MemberRequestAnswered = envelope.payload
    with uow:
        if uow.already_handled(envelope.id):
            return False
        stop = uow.repo.get_stop(event.stop_id) if event.stop_id else None
        item = answered_item(event, origin_of(event.stop_id, event.session, stop))
        uow.letters.add_answered_item(item)
        queued = False
        if not uow.letters.letter_exists(item.key):
            cause = Cause(envelope.correlation_id, envelope.id, uow.office_id)
            content = compose_answer_letter(item, contact)
            letter = _letter_for(
                uow, item.key, LetterKind.ANSWER, item.member_id, content, cause, now
            )
            uow.letters.add_letter(letter)
            queued = letter.to_address != ""
        uow.remember(envelope)
        uow.commit()
    return queued


@dataclass(frozen=True)
class ReportsQueued:
    """What one session's reporting did."""

    session: str
    letters: tuple[str, ...]  # ids of the reports queued (or failed: member not on the roster)
    items: int  # answered items they carry


def queue_session_reports(
    uow: LettersUnitOfWork,
    session: str,
    ended_at: datetime,
    *,
    contact: str | None,
    now: datetime,
    correlation_id: str,
) -> ReportsQueued:
    """One report per member of the items answered up to the session's end and not yet
    reported; none for a member without such items; never twice per (member, session)."""
    if not SESSION_NAME.match(session):
        raise InvalidInput("session", "회기는 '제311회 정례회'와 같이 '제N회 …' 형식이어야 합니다")
    if ended_at > now:
        raise InvalidInput("ended_at", "회기 종료 시각이 아직 오지 않았습니다")
    ids: list[str] = []
    carried = 0
    with uow:
        cause = Cause(correlation_id, None, uow.office_id)
        for member_id, items in uow.letters.unreported_items(until=ended_at).items():
            key = report_key(member_id, session)
            if uow.letters.letter_exists(key):
                continue
            content = compose_session_report(
                items[0].member_name, session, ended_at, items, contact
            )
            if content is None:
                continue
            letter = _letter_for(uow, key, LetterKind.REPORT, member_id, content, cause, now)
            uow.letters.add_letter(letter)
            uow.letters.mark_reported(items, session)
            ids.append(letter.id)
            carried += len(items)
        uow.commit()
    return ReportsQueued(session, tuple(ids), carried)


def claim_due_letters(
    uow: LettersUnitOfWork, claimant: str, now: datetime, *, lease: timedelta, limit: int
) -> list[Letter]:
    with uow:
        claimed = uow.letters.claim_due(claimant, now, lease, limit)
        uow.commit()
    return claimed


def record_letter_outcomes(
    uow: LettersUnitOfWork, outcomes: Sequence[SendOutcome], *, max_attempts: int, backoff: Backoff
) -> int:
    """Sent, or failed (retried with backoff; at once final when refused for good)."""
    by_id = {outcome.delivery_id: outcome for outcome in outcomes}
    with uow:
        letters = uow.letters.get_letters(list(by_id))
        for letter in letters:
            outcome = by_id[letter.id]
            if outcome.error is None:
                letter.mark_sent(outcome.at)
            else:
                letter.record_failure(
                    outcome.error,
                    outcome.at,
                    max_attempts=max_attempts,
                    backoff=backoff,
                    permanent=outcome.permanent,
                )
        uow.letters.save_letters(letters)
        uow.commit()
    return len(letters)


def recent_letters(uow: LettersUnitOfWork, member_id: str | None = None) -> list[Letter]:
    with uow:
        return uow.letters.recent_letters(member_id)
