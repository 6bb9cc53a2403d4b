"""The advance notice (사전안내) a council member receives: subject, text, HTML and invite.

What a member receives is theirs: the purpose and content of the stop, when and where, who
else was told (by role, never by name), whom to answer at the secretariat, their own feed
link, and for a cancellation its reason. The mayor's talking points (the briefing) are
internal and never copied into a member's mail. A non-public stop's subject line names
only the kind of stop, since subjects show in previews and notifications.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from schemas.vocabulary import StopChangeKind
from services.notifier.domain.calendar import (
    CONFIDENTIAL_NOTE,
    SENDER_NAME,
    IcsMethod,
    invite_method,
    render_invite,
)
from services.notifier.domain.recipients import Recipient
from services.notifier.domain.stops import StopView, TalkingPointView, in_seoul

WEEKDAYS = "월화수목금토일"


class NoticeKind(StrEnum):
    """What a notice tells: a new stop, a moved one, a cancelled one, a stop that no longer
    concerns its member (taken off its attendees, moved out of their district), tomorrow's
    stop again, or the progress after a press announcement."""

    ADVANCE = "advance"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    REMOVAL = "removal"
    WITHDRAWAL = "withdrawal"  # an operator excluded the member: their invitation is cancelled
    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"

    @classmethod
    def for_change(cls, change: StopChangeKind) -> NoticeKind:
        return _KIND_OF_CHANGE[change]

    @classmethod
    def of(
        cls, purpose: str, change: StopChangeKind, method: IcsMethod = IcsMethod.REQUEST
    ) -> NoticeKind:
        """The kind of a delivery: by its purpose (`reminder`, `follow_up`), else its change;
        a notice that cancels the invitation of a stop still on is a removal."""
        if purpose == "notice" and method is IcsMethod.CANCEL and change is not _CANCELLED:
            return cls.REMOVAL
        kinds = {"reminder": cls.REMINDER, "follow_up": cls.FOLLOW_UP, "withdrawal": cls.WITHDRAWAL}
        return kinds.get(purpose, _KIND_OF_CHANGE[change])

    @property
    def withdraws_invitation(self) -> bool:
        """The member's invitation of a stop still on is cancelled (CANCEL)."""
        return self in (NoticeKind.REMOVAL, NoticeKind.WITHDRAWAL)

    @property
    def tag(self) -> str:
        """The subject line's tag."""
        return SUBJECT_TAGS[self]

    @property
    def introduction(self) -> str:
        """The body's first sentence."""
        return INTRODUCTIONS[self]


_CANCELLED = StopChangeKind.CANCELLED

_KIND_OF_CHANGE = {
    StopChangeKind.SCHEDULED: NoticeKind.ADVANCE,
    StopChangeKind.RESCHEDULED: NoticeKind.UPDATE,
    StopChangeKind.CANCELLED: NoticeKind.CANCELLATION,
}

SUBJECT_TAGS = {
    NoticeKind.ADVANCE: "사전안내",
    NoticeKind.UPDATE: "일정변경",
    NoticeKind.CANCELLATION: "일정취소",
    NoticeKind.REMOVAL: "안내 대상 제외",
    NoticeKind.WITHDRAWAL: "안내 대상 제외",
    NoticeKind.REMINDER: "내일 일정 안내",
    NoticeKind.FOLLOW_UP: "후속 안내",
}

INTRODUCTIONS = {
    NoticeKind.ADVANCE: "시장 일정을 아래와 같이 사전에 안내드립니다.",
    NoticeKind.UPDATE: "사전에 안내드린 시장 일정이 아래와 같이 변경되었음을 알려드립니다.",
    NoticeKind.CANCELLATION: "사전에 안내드린 시장 일정이 취소되었음을 알려드립니다.",
    NoticeKind.REMOVAL: (
        "사전에 안내드린 시장 일정이 변경되어 의원님께서는 더 이상 이 일정의 참석·안내 "
        "대상이 아니심을 알려드립니다. 일정표의 초대는 취소됩니다."
    ),
    NoticeKind.WITHDRAWAL: (
        "사전에 안내드린 시장 일정의 안내 대상에서 담당자가 의원님을 제외하였음을 "
        "알려드립니다. 일정표의 초대는 취소됩니다."
    ),
    NoticeKind.REMINDER: "사전에 안내드린 시장 일정이 내일 있어 다시 알려드립니다.",
    NoticeKind.FOLLOW_UP: "사전에 설명드린 언론 발표 이후의 진행 상황을 알려드립니다.",
}


@dataclass(frozen=True)
class Notice:
    """One e-mail to one member, with its .ics attachment and the attachment's iTIP method."""

    recipient_id: str
    to_address: str
    kind: NoticeKind
    subject: str
    text_body: str
    html_body: str
    ics: bytes  # empty: no invitation (a follow-up changes nothing in the calendar)
    ics_method: IcsMethod
    summary: str = ""  # one line, when · where · what: the digest lists it
    recipient_name: str = ""


@dataclass(frozen=True)
class NoticeContext:
    """What a notice says beyond the stop itself; each part is left out when unknown."""

    told_roles: tuple[str, ...] = ()
    """Who else was told, by role (e.g. "노원구 지역구 의원", "시의회 의장단")."""
    contact: str | None = None
    """The secretariat's contact line (the mail's Reply-To goes there too)."""
    feed_links: tuple[str, ...] = field(default=())
    """The member's own feed: https and webcal."""
    cancellation_reason: str | None = None
    changes: str | None = None
    """What changed since the member's earlier notice (an update or removal), in Korean."""
    progress: str | None = None
    """A follow-up's progress mark (Korean), as the operator or scheduler wrote it."""


@dataclass(frozen=True)
class Letterhead:
    """What every notice of this office carries: the secretariat's contact and where the
    members' own feeds live (their links are built per member)."""

    contact: str | None = None
    feed_base_url: str | None = None


class ToldRoles:
    """Who was told about one stop, as roles with counts (``지역구(노원구) 시의원 2명``), never
    names. Counted once per stop: each of its n notices then names the others in O(roles),
    where asking afresh for every notice cost n² role lookups per stop."""

    def __init__(self, recipients: Sequence[Recipient]) -> None:
        self._counts: dict[str, int] = {}
        self._label_of: dict[str, str] = {}
        for recipient in recipients:
            label = recipient.member.role_label
            self._label_of[recipient.member.id] = label
            self._counts[label] = self._counts.get(label, 0) + 1

    def besides(self, member_id: str) -> tuple[str, ...]:
        own = self._label_of.get(member_id)
        return tuple(
            f"{label} {count - (label == own)}명"
            for label, count in self._counts.items()
            if count - (label == own) > 0
        )


def short_when(moment: datetime) -> str:
    """Seoul time in short form: ``12/1(화) 14:00``."""
    local = in_seoul(moment)
    return f"{local.month}/{local.day}({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def full_when(moment: datetime) -> str:
    """Seoul time with the full date, for a subject line: ``2026년 12월 1일(화) 14:00``."""
    local = in_seoul(moment)
    return (
        f"{local.year}년 {local.month}월 {local.day}일({WEEKDAYS[local.weekday()]}) {local:%H:%M}"
    )


def long_when(starts_at: datetime, ends_at: datetime) -> str:
    """Seoul time span for a body: ``2025년 12월 1일(화) 14:00–15:00``."""
    start, end = in_seoul(starts_at), in_seoul(ends_at)
    day = f"{start.year}년 {start.month}월 {start.day}일({WEEKDAYS[start.weekday()]})"
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    end_day = f"{end.year}년 {end.month}월 {end.day}일({WEEKDAYS[end.weekday()]})"
    return f"{day} {start:%H:%M} – {end_day} {end:%H:%M}"


def subject_for(stop: StopView, kind: NoticeKind | None = None) -> str:
    """``[사전안내] 2026년 12월 1일(화) 14:00 노원구 · 송전선로 지중화 착공식`` (tag by kind,
    by default the change's); a non-public stop shows its category instead of its title."""
    tag = (kind or NoticeKind.for_change(stop.change)).tag
    what = stop.title if stop.public else f"{stop.category_label} (비공개)"
    return f"[{tag}] {full_when(stop.starts_at)} {stop.district} · {what}"


def summary_line(stop: StopView) -> str:
    """When, where and what in one line, for a digest's list (category if non-public)."""
    what = stop.title if stop.public else f"{stop.category_label} (비공개)"
    return (
        f"{long_when(stop.starts_at, stop.ends_at)} · {stop.place_name}({stop.district}) · {what}"
    )


def _when_line(stop: StopView, kind: NoticeKind) -> str:
    now_span = long_when(stop.starts_at, stop.ends_at)
    if (
        stop.change is StopChangeKind.RESCHEDULED
        and stop.previous_starts_at
        and stop.previous_ends_at
    ):
        before = long_when(stop.previous_starts_at, stop.previous_ends_at)
        return f"{before} → {now_span}"
    if stop.cancelled:
        return f"{now_span} (취소)"
    if kind.withdraws_invitation:
        return f"{now_span} (의원님 참석·안내 대상 아님)"
    return now_span


def _facts(
    stop: StopView, recipient: Recipient, context: NoticeContext, kind: NoticeKind
) -> list[tuple[str, str]]:
    facts = [("진행 상황", context.progress)] if context.progress else []
    facts += [
        ("일정", stop.title),
        ("목적", stop.purpose),
        ("분류", stop.category_label),
        ("일시", _when_line(stop, kind)),
        ("장소", f"{stop.place_name} ({stop.district})"),
    ]
    if context.changes:
        facts.append(("변경 사항", context.changes))
    if stop.cancelled and context.cancellation_reason:
        facts.append(("취소 사유", context.cancellation_reason))
    if context.told_roles:
        facts.append(("함께 안내받은 분", ", ".join(context.told_roles)))
    facts.append(("안내 사유", ", ".join(recipient.reasons)))
    return facts


def _footer(context: NoticeContext) -> list[tuple[str, str]]:
    lines = []
    if context.contact:
        lines.append(("문의", context.contact))
    if context.feed_links:
        lines.append(("내 일정 구독", " / ".join(context.feed_links)))
    return lines


def _text_body(
    stop: StopView, recipient: Recipient, context: NoticeContext, kind: NoticeKind
) -> str:
    introduction = kind.introduction
    lines = [f"{recipient.member.name} 의원님께", "", introduction, ""]
    lines += [f"■ {label}: {value}" for label, value in _facts(stop, recipient, context, kind)]
    if not stop.public:
        lines += ["", CONFIDENTIAL_NOTE]
    footer = _footer(context)
    if footer:
        lines += ["", *(f"{label}: {value}" for label, value in footer)]
    lines += ["", SENDER_NAME]
    return "\n".join(lines) + "\n"


def _html_footer_value(label: str, value: str, context: NoticeContext) -> str:
    if label != "내 일정 구독":
        return html.escape(value)
    links = (
        f'<a href="{html.escape(link)}">{html.escape(link)}</a>' for link in context.feed_links
    )
    return " / ".join(links)


def _html_body(
    stop: StopView, recipient: Recipient, context: NoticeContext, kind: NoticeKind
) -> str:
    esc = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        f"<title>{esc(subject_for(stop, kind))}</title></head><body>",
        f"<p>{esc(recipient.member.name)} 의원님께</p>",
        f"<p>{esc(kind.introduction)}</p>",
        "<table>",
    ]
    parts += [
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in _facts(stop, recipient, context, kind)
    ]
    parts.append("</table>")
    if not stop.public:
        parts.append(f"<p><strong>{esc(CONFIDENTIAL_NOTE)}</strong></p>")
    parts += [
        f"<p>{esc(label)}: {_html_footer_value(label, value, context)}</p>"
        for label, value in _footer(context)
    ]
    parts.append(f"<p>{esc(SENDER_NAME)}</p></body></html>")
    return "\n".join(parts) + "\n"


def compose_notice(
    stop: StopView,
    recipient: Recipient,
    talking_points: Sequence[TalkingPointView],
    organizer_email: str,
    now: datetime,
    *,
    context: NoticeContext | None = None,
    kind: NoticeKind | None = None,
) -> Notice:
    """The notice for one member about one stop (of `kind`, by default the change's).

    `talking_points` (the mayor's briefing) are deliberately not shown: they are internal.
    The caller still hands over the briefing as it came; nothing of it reaches the mail.
    A reminder carries the same invitation as the notice (same UID and SEQUENCE: calendars
    change nothing); a follow-up carries none, and says what progress was marked. A removal
    cancels the member's invitation (CANCEL, same UID, the new SEQUENCE) of a stop still on.
    """
    del talking_points  # internal to the mayor's office (issue 8)
    context = context or NoticeContext()
    kind = kind or NoticeKind.for_change(stop.change)
    member = recipient.member
    with_invite = kind is not NoticeKind.FOLLOW_UP
    invited = _withdrawn(stop) if kind.withdraws_invitation else stop
    return Notice(
        recipient_id=member.id,
        to_address=member.email,
        kind=kind,
        subject=subject_for(stop, kind),
        text_body=_text_body(stop, recipient, context, kind),
        html_body=_html_body(stop, recipient, context, kind),
        ics=render_invite(invited, organizer_email, member.email, member.name, now)
        if with_invite
        else b"",
        ics_method=invite_method(invited),
        summary=summary_line(stop),
        recipient_name=member.name,
    )


def _withdrawn(stop: StopView) -> StopView:
    """The stop as cancelled for one member: their invitation is withdrawn (CANCEL)."""
    return replace(stop, change=StopChangeKind.CANCELLED)
