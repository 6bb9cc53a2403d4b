"""Letters telling council members what became of their requests (건의사항 조치결과 회신).

Two kinds: one letter per answered request (per answer: a request answered again gets a
new letter), and after a council session one report per member of every item answered
since their last report. Pure: composition and the letter's delivery state; "now" is an
argument. A letter's id is derived from what it is about, so its Message-ID is stable.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.notifier.domain.deliveries import MAX_ERROR_LENGTH, Backoff, Cause
from services.notifier.domain.notices import WEEKDAYS
from services.notifier.domain.stops import StopView, in_seoul

KIND_LABELS = {"request": "건의사항", "question": "시정질문", "floor_speech": "5분 자유발언"}
UNKNOWN_MEMBER = "명단에 없는 시의원입니다({member_id}): 보낼 주소가 없어 발송하지 않았습니다."


class LetterKind(StrEnum):
    ANSWER = "answer"  # the action taken on one request
    REPORT = "report"  # everything answered since the member's last report, after a session


class LetterStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def day_label(moment: datetime) -> str:
    """``2026년 12월 3일(목)`` on Seoul's calendar."""
    local = in_seoul(moment)
    return f"{local.year}년 {local.month}월 {local.day}일({WEEKDAYS[local.weekday()]})"


def origin_of(stop_id: str | None, session: str | None, stop: StopView | None) -> str:
    """Where the member raised it: the visit (its date and title when the notifier knows the
    stop) or the council session."""
    if stop is not None:
        return f"{day_label(stop.starts_at)} 현장방문 · {stop.district} {stop.title}"
    if stop_id is not None:
        return f"시장 현장방문({stop_id})"
    return session or "출처 미기재"


@dataclass(frozen=True)
class AnsweredItem:
    """One answered request, as the member will read it."""

    request_id: str
    member_id: str
    member_name: str
    kind: str  # a schemas.member_requests.RequestKind value
    text: str
    district: str
    origin: str
    department: str | None
    action_taken: str
    answered_at: datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def key(self) -> str:
        """One answer of one request: the same answer seen twice is one letter."""
        return f"answer/{self.request_id}/{self.answered_at.isoformat()}"


def report_key(member_id: str, session: str) -> str:
    return f"report/{member_id}/{session}"


def letter_id(key: str) -> str:
    """Derived from the key, so every attempt and every process names it alike."""
    return "ml-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LetterContent:
    subject: str
    text_body: str
    html_body: str


def _item_lines(item: AnsweredItem) -> list[tuple[str, str]]:
    return [
        ("구분", item.kind_label),
        ("내용", item.text),
        ("제기", item.origin),
        ("소관 부서", item.department or "미지정"),
        ("조치 결과", item.action_taken),
        ("답변일", day_label(item.answered_at)),
    ]


def _text(rows: Sequence[tuple[str, str]]) -> list[str]:
    return [f"- {label}: {value}" for label, value in rows]


def _html_table(rows: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"


def _closing(contact: str | None) -> tuple[str, str]:
    text = "문의: 서울특별시 시장 비서실" + (f" ({contact})" if contact else "")
    return text, f"<p>{html.escape(text)}</p>"


def compose_answer_letter(item: AnsweredItem, contact: str | None = None) -> LetterContent:
    """The letter reporting the action taken on one request."""
    subject = f"[조치결과] {item.member_name} 의원님 {item.kind_label}: {_short(item.text)}"
    greeting = f"{item.member_name} 의원님, 안녕하십니까."
    intro = f"의원님께서 제기하신 {item.kind_label}에 대한 조치 결과를 알려드립니다."
    closing_text, closing_html = _closing(contact)
    rows = _item_lines(item)
    text = "\n".join([greeting, "", intro, "", *_text(rows), "", closing_text, ""])
    body = (
        f"<p>{html.escape(greeting)}</p><p>{html.escape(intro)}</p>"
        f"{_html_table(rows)}{closing_html}"
    )
    return LetterContent(subject, text, body)


def compose_session_report(
    member_name: str,
    session: str,
    ended_at: datetime,
    items: Sequence[AnsweredItem],
    contact: str | None = None,
) -> LetterContent | None:
    """One report of every item answered since the member's last; None when there is none
    (no empty report is sent)."""
    if not items:
        return None
    ordered = sorted(items, key=lambda i: (i.answered_at, i.request_id))
    subject = f"[조치결과 보고] {session} · {member_name} 의원님 {len(ordered)}건"
    greeting = f"{member_name} 의원님, 안녕하십니까."
    intro = (
        f"{session}({day_label(ended_at)} 종료)을 마치며, 지난 보고 이후 답변된 "
        f"의원님의 건의·질의 {len(ordered)}건의 조치 결과를 보고드립니다."
    )
    closing_text, closing_html = _closing(contact)
    text_lines = [greeting, "", intro]
    html_parts = [f"<p>{html.escape(greeting)}</p><p>{html.escape(intro)}</p>"]
    for number, item in enumerate(ordered, start=1):
        text_lines += ["", f"{number}. {item.text}", *_text(_item_lines(item))]
        html_parts.append(f"<h3>{number}. {html.escape(item.text)}</h3>")
        html_parts.append(_html_table(_item_lines(item)))
    text_lines += ["", closing_text, ""]
    html_parts.append(closing_html)
    return LetterContent(subject, "\n".join(text_lines), "".join(html_parts))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Letter:
    """One letter to one member; sent at most once per key, retried with backoff."""

    id: str
    key: str
    kind: LetterKind
    member_id: str
    to_address: str
    content: LetterContent
    cause: Cause
    created_at: datetime
    next_attempt_at: datetime
    status: LetterStatus = LetterStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    claimed_by: str | None = None
    lease_until: datetime | None = None

    @classmethod
    def queue(
        cls,
        key: str,
        kind: LetterKind,
        member_id: str,
        to_address: str,
        content: LetterContent,
        cause: Cause,
        now: datetime,
    ) -> Letter:
        """A letter due at once."""
        return cls(letter_id(key), key, kind, member_id, to_address, content, cause, now, now)

    @classmethod
    def undeliverable(
        cls,
        key: str,
        kind: LetterKind,
        member_id: str,
        content: LetterContent,
        cause: Cause,
        now: datetime,
    ) -> Letter:
        """A letter for a member the roster lacks: failed at once, with the reason, never tried."""
        letter = cls.queue(key, kind, member_id, "", content, cause, now)
        letter.status = LetterStatus.FAILED
        letter.last_error = UNKNOWN_MEMBER.format(member_id=member_id)
        return letter

    @property
    def message_id(self) -> str:
        return f"<{self.id}@dongseon>"

    def mark_sent(self, now: datetime) -> bool:
        if self.status is not LetterStatus.PENDING:
            return False
        self.status, self.sent_at, self.attempts = LetterStatus.SENT, now, self.attempts + 1
        self.claimed_by = self.lease_until = None
        return True

    def record_failure(
        self,
        error: str,
        now: datetime,
        *,
        max_attempts: int,
        backoff: Backoff,
        permanent: bool = False,
    ) -> bool:
        """Retry after backoff, or give up: at once when `permanent`, else after max_attempts."""
        if self.status is not LetterStatus.PENDING:
            return False
        self.attempts += 1
        self.last_error = error[:MAX_ERROR_LENGTH]
        self.next_attempt_at = now + backoff.delay(self.attempts)
        if permanent or self.attempts >= max_attempts:
            self.status = LetterStatus.FAILED
        self.claimed_by = self.lease_until = None
        return True
