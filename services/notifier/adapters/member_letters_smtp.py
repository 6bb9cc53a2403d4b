"""Members' letters over SMTP: text and HTML, Reply-To the secretariat, a stable Message-ID.

The message is deterministic (boundary from the letter id, `Date:` when the letter was
composed), so a letter resent after a crash is the same message, byte for byte. A final
5xx refusal is raised as `DeliveryRefused` (via the notices' `refusal`), anything else as is.
"""

from __future__ import annotations

import base64
from email.header import Header
from email.utils import format_datetime, formataddr

import aiosmtplib

from services.notifier.adapters.smtp import SmtpConfig, refusal
from services.notifier.domain.member_letters import Letter


def build_letter_message(
    letter: Letter, sender: str, sender_name: str, reply_to: str | None = None
) -> bytes:
    boundary = f"=_dongseon_{letter.id}_a"
    headers = [
        ("From", formataddr((sender_name, sender), charset="utf-8")),
        ("To", letter.to_address),
        *([("Reply-To", reply_to)] if reply_to else []),
        ("Subject", Header(letter.content.subject, "utf-8").encode()),
        ("Date", format_datetime(letter.created_at)),
        ("Message-ID", letter.message_id),
        ("X-Dongseon-Letter", f"{letter.kind};{letter.id}"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    ]
    lines = [f"{name}: {value}" for name, value in headers]
    for subtype, body in (("plain", letter.content.text_body), ("html", letter.content.html_body)):
        encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii").rstrip("\n")
        lines += [
            f"--{boundary}",
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: base64",
            "",
            *encoded.split("\n"),
        ]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode("ascii")


class LetterMailer:
    """Sends one letter per connection (letters are few: answers and session reports)."""

    def __init__(
        self, config: SmtpConfig, sender: str, sender_name: str, reply_to: str | None = None
    ) -> None:
        self._config = config
        self._sender = sender
        self._sender_name = sender_name
        self._reply_to = reply_to

    async def send(self, letter: Letter) -> None:
        message = build_letter_message(letter, self._sender, self._sender_name, self._reply_to)
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            start_tls=config.start_tls,
            timeout=config.timeout,
        )
        try:
            await client.connect()
            await client.sendmail(self._sender, [letter.to_address], message)
        except Exception as error:
            refused = refusal(error)
            if refused is not None:
                raise refused from error
            raise
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except Exception:
                    client.close()
