"""The daily digest as one e-mail: every notice a member's digest holds, listed in Korean
(when, where, what, why), with each stop's invitation attached so calendars still update.

Pure. A digest is named by the set of its deliveries: the same set gives the same key, so
the same Message-ID, Date and body; a resend after a crash is the very same message.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.notifier.domain.calendar import SENDER_NAME
from services.notifier.domain.deliveries import Delivery
from services.notifier.domain.notices import full_when

DIGEST_TAG = "묶음 안내"


@dataclass(frozen=True)
class Invitation:
    """One stop's calendar invitation inside a digest."""

    filename: str
    method: str
    ics: bytes


@dataclass(frozen=True)
class Digest:
    """One e-mail for several deliveries to one member, all sent or none."""

    key: str
    to_address: str
    sent_for: datetime  # the digest time: the mail's Date
    subject: str
    text_body: str
    html_body: str
    invitations: tuple[Invitation, ...]
    deliveries: tuple[Delivery, ...]

    @property
    def member_id(self) -> str:
        return self.deliveries[0].member_id


def digest_key(delivery_ids: Sequence[str]) -> str:
    """Stable for a set of deliveries, whatever their order."""
    joined = ",".join(sorted(delivery_ids)).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:24]


def sending_units(claimed: Sequence[Delivery]) -> list[list[Delivery]]:
    """What goes out as one message: the deliveries held for one member's digest (same
    member, same digest time) together, every other delivery alone; in claim order."""
    units: list[list[Delivery]] = []
    groups: dict[tuple[str, datetime], list[Delivery]] = {}
    for delivery in claimed:
        if delivery.digest_at is None:
            units.append([delivery])
            continue
        key = (delivery.member_id, delivery.digest_at)
        if key not in groups:
            groups[key] = []
            units.append(groups[key])
        groups[key].append(delivery)
    return units


def compose_digest(deliveries: Sequence[Delivery]) -> Digest:
    """The merged e-mail: a numbered list of every notice, then each notice in full."""
    ordered = tuple(sorted(deliveries, key=lambda d: (d.created_at, d.stop_id, d.id)))
    first = ordered[0]
    sent_for = first.digest_at or max(d.created_at for d in ordered)
    name = first.notice.recipient_name
    greeting = f"{name} 의원님께" if name else "의원님께"
    intro = f"하루 한 번 묶어 보내 드리는 시장 일정 안내 {len(ordered)}건입니다."
    subject = f"[{DIGEST_TAG}] {full_when(sent_for)} 시장 일정 안내 {len(ordered)}건"
    invitations = tuple(
        Invitation(f"invite-{i}-{d.stop_id}.ics", d.notice.ics_method, d.notice.ics)
        for i, d in enumerate(ordered, 1)
        if d.notice.ics
    )
    return Digest(
        key=digest_key([d.id for d in ordered]),
        to_address=first.to_address,
        sent_for=sent_for,
        subject=subject,
        text_body=_text(greeting, intro, ordered),
        html_body=_html(subject, greeting, intro, ordered),
        invitations=invitations,
        deliveries=ordered,
    )


def _item(delivery: Delivery) -> tuple[str, list[tuple[str, str]]]:
    """The list entry: tag with when · where · what, then why (and what changed)."""
    notice = delivery.notice
    headline = f"[{notice.kind.tag}] {notice.summary or notice.subject}"
    details = [("안내 사유", delivery.reason.removeprefix("안내 사유: "))]
    if delivery.changes:
        details.append(("변경 사항", delivery.changes))
    return headline, details


def _text(greeting: str, intro: str, ordered: Sequence[Delivery]) -> str:
    lines = [greeting, "", intro, ""]
    for number, delivery in enumerate(ordered, 1):
        headline, details = _item(delivery)
        lines.append(f"{number}. {headline}")
        lines += [f"   {label}: {value}" for label, value in details]
    lines += ["", "일정마다 일정 초대장(.ics)을 첨부했습니다. 각 안내의 전문은 아래와 같습니다."]
    for number, delivery in enumerate(ordered, 1):
        lines += ["", f"──────── {number} ────────", *_without_letter_frame(delivery)]
    lines += ["", SENDER_NAME]
    return "\n".join(lines) + "\n"


def _without_letter_frame(delivery: Delivery) -> list[str]:
    """A notice's text without its greeting and signature (the digest has its own)."""
    lines = delivery.notice.text_body.rstrip("\n").split("\n")
    if lines and lines[0].endswith("의원님께"):
        lines = lines[1:]
    if lines and lines[-1] == SENDER_NAME:
        lines = lines[:-1]
    while lines and not lines[0]:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def _html(subject: str, greeting: str, intro: str, ordered: Sequence[Delivery]) -> str:
    esc = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        f"<title>{esc(subject)}</title></head><body>",
        f"<p>{esc(greeting)}</p>",
        f"<p>{esc(intro)}</p>",
        "<ol>",
    ]
    for delivery in ordered:
        headline, details = _item(delivery)
        rows = "".join(f"<br>{esc(label)}: {esc(value)}" for label, value in details)
        parts.append(f"<li><strong>{esc(headline)}</strong>{rows}</li>")
    parts.append("</ol><p>일정마다 일정 초대장(.ics)을 첨부했습니다.</p>")
    for delivery in ordered:
        inner = delivery.notice.html_body.partition("<body>")[2].partition("</body>")[0]
        parts.append(f"<hr>{inner or esc(delivery.notice.text_body)}")
    parts.append(f"<p>{esc(SENDER_NAME)}</p></body></html>")
    return "\n".join(parts) + "\n"
