"""The advance notice (사전안내) a council member receives: subject, text, HTML and invite."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
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
    """What a notice tells: a new stop, a moved one, or a cancelled one."""

    ADVANCE = "advance"
    UPDATE = "update"
    CANCELLATION = "cancellation"

    @classmethod
    def for_change(cls, change: StopChangeKind) -> NoticeKind:
        return _KIND_OF_CHANGE[change]

    @property
    def tag(self) -> str:
        """The subject line's tag."""
        return SUBJECT_TAGS[self]

    @property
    def introduction(self) -> str:
        """The body's first sentence."""
        return INTRODUCTIONS[self]


_KIND_OF_CHANGE = {
    StopChangeKind.SCHEDULED: NoticeKind.ADVANCE,
    StopChangeKind.RESCHEDULED: NoticeKind.UPDATE,
    StopChangeKind.CANCELLED: NoticeKind.CANCELLATION,
}

SUBJECT_TAGS = {
    NoticeKind.ADVANCE: "사전안내",
    NoticeKind.UPDATE: "일정변경",
    NoticeKind.CANCELLATION: "일정취소",
}

INTRODUCTIONS = {
    NoticeKind.ADVANCE: "시장 일정을 아래와 같이 사전에 안내드립니다.",
    NoticeKind.UPDATE: "사전에 안내드린 시장 일정이 아래와 같이 변경되었음을 알려드립니다.",
    NoticeKind.CANCELLATION: "사전에 안내드린 시장 일정이 취소되었음을 알려드립니다.",
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
    ics: bytes
    ics_method: IcsMethod


def short_when(moment: datetime) -> str:
    """Seoul time for a subject line: ``12/1(화) 14:00``."""
    local = in_seoul(moment)
    return f"{local.month}/{local.day}({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def long_when(starts_at: datetime, ends_at: datetime) -> str:
    """Seoul time span for a body: ``2025년 12월 1일(화) 14:00–15:00``."""
    start, end = in_seoul(starts_at), in_seoul(ends_at)
    day = f"{start.year}년 {start.month}월 {start.day}일({WEEKDAYS[start.weekday()]})"
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    end_day = f"{end.year}년 {end.month}월 {end.day}일({WEEKDAYS[end.weekday()]})"
    return f"{day} {start:%H:%M} – {end_day} {end:%H:%M}"


def subject_for(stop: StopView) -> str:
    """``[사전안내] 12/1(화) 14:00 노원구 · 송전선로 지중화 착공식`` (tag by change kind)."""
    tag = NoticeKind.for_change(stop.change).tag
    return f"[{tag}] {short_when(stop.starts_at)} {stop.district} · {stop.title}"


def _when_line(stop: StopView) -> str:
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
    return now_span


def _facts(stop: StopView, recipient: Recipient) -> list[tuple[str, str]]:
    return [
        ("안내 사유", ", ".join(recipient.reasons)),
        ("일정", stop.title),
        ("목적", stop.purpose),
        ("일시", _when_line(stop)),
        ("장소", f"{stop.place_name} ({stop.district})"),
    ]


def _point_lines(index: int, point: TalkingPointView) -> list[str]:
    lines = [f"{index}. {point.heading}", f"   {point.text}"]
    if point.citation:
        lines.append(f"   (출처: {point.citation})")
    return lines


def _text_body(stop: StopView, recipient: Recipient, points: Sequence[TalkingPointView]) -> str:
    introduction = NoticeKind.for_change(stop.change).introduction
    lines = [f"{recipient.member.name} 의원님께", "", introduction, ""]
    lines += [f"■ {label}: {value}" for label, value in _facts(stop, recipient)]
    if points:
        lines += ["", "■ 주요 내용"]
        for index, point in enumerate(points, start=1):
            lines += _point_lines(index, point)
    if not stop.public:
        lines += ["", CONFIDENTIAL_NOTE]
    lines += ["", SENDER_NAME]
    return "\n".join(lines) + "\n"


def _html_point(point: TalkingPointView) -> str:
    item = f"<strong>{html.escape(point.heading)}</strong><br>{html.escape(point.text)}"
    if point.citation:
        item += f"<br><small>출처: {html.escape(point.citation)}</small>"
    return f"<li>{item}</li>"


def _html_body(stop: StopView, recipient: Recipient, points: Sequence[TalkingPointView]) -> str:
    esc = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        f"<title>{esc(subject_for(stop))}</title></head><body>",
        f"<p>{esc(recipient.member.name)} 의원님께</p>",
        f"<p>{esc(NoticeKind.for_change(stop.change).introduction)}</p>",
        "<table>",
    ]
    parts += [
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in _facts(stop, recipient)
    ]
    parts.append("</table>")
    if points:
        parts.append("<h3>주요 내용</h3><ol>")
        parts += [_html_point(point) for point in points]
        parts.append("</ol>")
    if not stop.public:
        parts.append(f"<p><strong>{esc(CONFIDENTIAL_NOTE)}</strong></p>")
    parts.append(f"<p>{esc(SENDER_NAME)}</p></body></html>")
    return "\n".join(parts) + "\n"


def compose_notice(
    stop: StopView,
    recipient: Recipient,
    talking_points: Sequence[TalkingPointView],
    organizer_email: str,
    now: datetime,
) -> Notice:
    """The notice for one member about one stop; a cancellation carries no talking points."""
    points = () if stop.cancelled else tuple(talking_points)
    member = recipient.member
    return Notice(
        recipient_id=member.id,
        to_address=member.email,
        kind=NoticeKind.for_change(stop.change),
        subject=subject_for(stop),
        text_body=_text_body(stop, recipient, points),
        html_body=_html_body(stop, recipient, points),
        ics=render_invite(stop, organizer_email, member.email, member.name, now),
        ics_method=invite_method(stop),
    )
