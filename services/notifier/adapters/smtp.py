"""Sending notices over SMTP, with the calendar invitation attached."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

import aiosmtplib

from services.notifier.adapters.orm import DeliveryRow


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    timeout: float = 10.0


def build_message(delivery: DeliveryRow, sender: str, sender_name: str) -> EmailMessage:
    """Text and HTML alternatives plus the invitation (REQUEST or CANCEL)."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender))
    message["To"] = delivery.to_address
    message["Subject"] = delivery.subject
    message["Message-ID"] = f"<{delivery.id}@dongseon>"
    message["X-Dongseon-Stop"] = f"{delivery.stop_id};v={delivery.stop_version}"
    message.set_content(delivery.text_body)
    message.add_alternative(delivery.html_body, subtype="html")
    message.add_attachment(
        delivery.ics.encode("utf-8"),
        maintype="text",
        subtype="calendar",
        filename="invite.ics",
        params={"method": delivery.ics_method, "charset": "utf-8"},
    )
    return message


class SmtpMailer:
    def __init__(self, config: SmtpConfig, sender: str, sender_name: str) -> None:
        self._config = config
        self._sender = sender
        self._sender_name = sender_name

    async def send(self, delivery: DeliveryRow) -> None:
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
