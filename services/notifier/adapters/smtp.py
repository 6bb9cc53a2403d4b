"""Sending notices over SMTP, with the calendar invitation attached."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

import aiosmtplib

from services.notifier.domain.deliveries import Delivery


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    timeout: float = 10.0


def build_message(delivery: Delivery, sender: str, sender_name: str) -> EmailMessage:
    """Text and HTML alternatives plus the invitation (REQUEST or CANCEL)."""
    notice = delivery.notice
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender))
    message["To"] = notice.to_address
    message["Subject"] = notice.subject
    message["Message-ID"] = f"<{delivery.id}@dongseon>"
    message["X-Dongseon-Stop"] = f"{delivery.stop_id};v={delivery.stop_version}"
    message.set_content(notice.text_body)
    message.add_alternative(notice.html_body, subtype="html")
    message.add_attachment(
        notice.ics,
        maintype="text",
        subtype="calendar",
        filename="invite.ics",
        params={"method": str(notice.ics_method), "charset": "utf-8"},
    )
    return message


class SmtpMailer:
    def __init__(self, config: SmtpConfig, sender: str, sender_name: str) -> None:
        self._config = config
        self._sender = sender
        self._sender_name = sender_name

    async def send(self, delivery: Delivery) -> None:
        message = build_message(delivery, self._sender, self._sender_name)
        await aiosmtplib.send(
            message,
            hostname=self._config.host,
            port=self._config.port,
            username=self._config.username,
            password=self._config.password,
            start_tls=self._config.start_tls,
            timeout=self._config.timeout,
        )
