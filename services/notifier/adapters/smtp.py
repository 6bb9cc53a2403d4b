"""Sending notices over SMTP, with the calendar invitation attached.

Connections are kept open and reused (one per concurrent send), and the server's answer
is sorted: a 5xx for the recipient or the message is final (`DeliveryRefused`), anything
else (the server down, 4xx, a timeout) is raised as is, to be retried.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.utils import format_datetime, formataddr
from functools import lru_cache

import aiosmtplib

from services.notifier.domain.deliveries import Delivery, DeliveryRefused
from services.notifier.domain.digests import Digest, Invitation

IDLE_SECONDS = 20.0
"""A pooled connection idle longer than this is closed rather than reused (servers drop them)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    timeout: float = 10.0


def message_id(delivery: Delivery) -> str:
    """The same for every attempt of one delivery, so a resent copy is recognisable."""
    return f"<{delivery.id}@dongseon>"


def build_message(
    delivery: Delivery, sender: str, sender_name: str, reply_to: str | None = None
) -> bytes:
    """The MIME message: text and HTML alternatives plus the invitation (REQUEST or CANCEL;
    none for a follow-up).

    Written out directly rather than through `email.message.EmailMessage` (about 100 times
    faster, which the notice burst needs), and deterministic: boundaries come from the
    delivery id and `Date:` is when the notice was composed, so a resent copy is the same
    message, byte for byte.
    """
    notice = delivery.notice
    invitations = [Invitation("invite.ics", notice.ics_method, notice.ics)] if notice.ics else []
    return _mime(
        [
            ("From", formataddr((sender_name, sender), charset="utf-8")),
            ("To", notice.to_address),
            *([("Reply-To", reply_to)] if reply_to else []),
            ("Subject", _encoded_subject(notice.subject)),
            ("Date", format_datetime(delivery.created_at)),
            ("Message-ID", message_id(delivery)),
            ("X-Dongseon-Stop", f"{delivery.stop_id};v={delivery.stop_version}"),
        ],
        f"=_dongseon_{delivery.id}",
        notice.text_body,
        notice.html_body,
        invitations,
    )


def digest_message_id(digest: Digest) -> str:
    """Derived from the set of its deliveries: a resend of the same digest has the same one."""
    return f"<dg-{digest.key}@dongseon>"


def build_digest_message(
    digest: Digest, sender: str, sender_name: str, reply_to: str | None = None
) -> bytes:
    """One message for a member's digest: the summary as text and HTML, and one invitation
    per stop. Deterministic like `build_message` (boundaries and Date from the digest)."""
    stops = ", ".join(f"{d.stop_id};v={d.stop_version}" for d in digest.deliveries)
    return _mime(
        [
            ("From", formataddr((sender_name, sender), charset="utf-8")),
            ("To", digest.to_address),
            *([("Reply-To", reply_to)] if reply_to else []),
            ("Subject", _encoded_subject(digest.subject)),
            ("Date", format_datetime(digest.sent_for)),
            ("Message-ID", digest_message_id(digest)),
            ("X-Dongseon-Stop", stops),
        ],
        f"=_dongseon_dg{digest.key}",
        digest.text_body,
        digest.html_body,
        digest.invitations,
    )


def _mime(
    headers: list[tuple[str, str]],
    boundary: str,
    text_body: str,
    html_body: str,
    invitations: Sequence[Invitation],
) -> bytes:
    mixed, alternative = f"{boundary}_m", f"{boundary}_a"
    headers = [
        *headers,
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{mixed}"'),
    ]
    lines = [f"{name}: {value}" for name, value in headers]
    lines += ["", f"--{mixed}", f'Content-Type: multipart/alternative; boundary="{alternative}"']
    lines += ["", f"--{alternative}", *_part("text/plain", text_body.encode("utf-8"))]
    lines += [f"--{alternative}", *_part("text/html", html_body.encode("utf-8"))]
    lines += [f"--{alternative}--"]
    for invitation in invitations:
        lines += [f"--{mixed}"]
        lines += _part(
            f"text/calendar; method={invitation.method}",
            invitation.ics,
            f'Content-Disposition: attachment; filename="{invitation.filename}"',
        )
    lines += [f"--{mixed}--", ""]
    return "\r\n".join(lines).encode("ascii")


@lru_cache(maxsize=1024)
def _encoded_subject(subject: str) -> str:
    """RFC 2047 encoding is slow and a stop's members share one subject: encode it once."""
    return Header(subject, "utf-8").encode()


def _part(content_type: str, body: bytes, *extra_headers: str) -> list[str]:
    encoded = base64.encodebytes(body).decode("ascii").rstrip("\n").split("\n")
    return [
        f'Content-Type: {content_type}; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
        *extra_headers,
        "",
        *encoded,
    ]


def refusal(error: Exception) -> DeliveryRefused | None:
    """The final refusal in an SMTP error, if it is one (5xx for the recipient or message)."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in error.recipients]
        if codes and all(500 <= code < 600 for code in codes):
            reasons = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
            return DeliveryRefused(f"수신 거부 ({reasons})")
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        if 500 <= error.code < 600:
            return DeliveryRefused(f"수신 거부 ({error.code} {error.message})")
    return None


class SmtpMailer:
    """A `Mailer` over a small pool of open SMTP connections."""

    def __init__(
        self, config: SmtpConfig, sender: str, sender_name: str, reply_to: str | None = None
    ) -> None:
        self._config = config
        self._sender = sender
        self._sender_name = sender_name
        self._reply_to = reply_to
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []

    async def send(self, delivery: Delivery) -> None:
        message = build_message(delivery, self._sender, self._sender_name, self._reply_to)
        await self._send(delivery.to_address, message)

    async def send_digest(self, digest: Digest) -> None:
        message = build_digest_message(digest, self._sender, self._sender_name, self._reply_to)
        await self._send(digest.to_address, message)

    async def _send(self, to_address: str, message: bytes) -> None:
        client = await self._acquire()
        try:
            await client.sendmail(self._sender, [to_address], message)
        except Exception as error:
            await _close(client)
            refused = refusal(error)
            if refused is not None:
                raise refused from error
            raise
        self._idle.append((client, time.monotonic()))

    async def close(self) -> None:
        """Close the pooled connections."""
        idle, self._idle = self._idle, []
        await asyncio.gather(*(_close(client) for client, _ in idle))

    async def _acquire(self) -> aiosmtplib.SMTP:
        while self._idle:
            client, since = self._idle.pop()
            if client.is_connected and time.monotonic() - since < IDLE_SECONDS:
                return client
            await _close(client)
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            start_tls=config.start_tls,
            timeout=config.timeout,
        )
        await client.connect()
        return client


async def _close(client: aiosmtplib.SMTP) -> None:
    """Say goodbye if the server still listens; drop the connection either way."""
    try:
        if client.is_connected:
            await client.quit()
    except Exception:
        client.close()
