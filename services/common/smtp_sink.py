"""A local SMTP server that keeps every message it receives in a Maildir.

The one-machine stand-in for the city's mail relay: `dongseon up` starts it so the notices
can be read (`dongseon mail`), and the tests use it as the real SMTP peer.
"""

from __future__ import annotations

import mailbox
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MaildirHandler:
    """aiosmtpd handler: store the message as received, one file per envelope recipient."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        mailbox.Maildir(maildir, create=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        box = mailbox.Maildir(self.maildir, create=True)
        for recipient in envelope.rcpt_tos:
            content = envelope.original_content or envelope.content
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            box.add(b"X-Envelope-To: " + recipient.encode() + b"\r\n" + data)
        return "250 Message accepted for delivery"


class SmtpSink:
    """Run the Maildir SMTP server on a thread of its own."""

    def __init__(self, maildir: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.maildir = maildir
        self.host = host
        self.port = port
        self._controller = Controller(MaildirHandler(maildir), hostname=host, port=port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass(frozen=True)
class ReceivedMail:
    key: str
    envelope_to: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


def read_mailbox(maildir: Path) -> list[ReceivedMail]:
    """Every message the sink has received, oldest first."""
    if not maildir.exists():
        return []
    box = mailbox.Maildir(maildir, create=False)
    received = []
    for key in box.keys():
        with box.get_file(key) as handle:
            raw = handle.read()
        message = message_from_bytes(raw, policy=policy.default)
        received.append(ReceivedMail(key, str(message["X-Envelope-To"]), message))
    return sorted(received, key=lambda m: _arrival(m.key))


# Python's Maildir keys are "<seconds>.M<microseconds>P<pid>Q<count>.<host>": the
# microseconds are not zero-padded, so the keys themselves do not sort by arrival.
_ARRIVAL = re.compile(r"^(\d+)\.M(\d+)P\d+Q(\d+)")


def _arrival(key: str) -> tuple[int, int, int]:
    found = _ARRIVAL.match(key)
    return (int(found[1]), int(found[2]), int(found[3])) if found else (0, 0, 0)
