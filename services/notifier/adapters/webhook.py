"""Notices to a member's messaging integration: a JSON POST signed with the member's secret.

The signature header is `X-Dongseon-Signature: sha256=<hex HMAC-SHA256 of the raw body>`;
`X-Dongseon-Notice` carries the notice id, stable across retries, so a receiver can drop a
repeat. A 4xx answer (other than 408/429) refuses the notice for good; anything else is
retried by the dispatcher like a mail server that is down.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from services.notifier.domain.deliveries import Delivery, DeliveryRefused

SIGNATURE_HEADER = "X-Dongseon-Signature"
NOTICE_HEADER = "X-Dongseon-Notice"
RETRYABLE_4XX = frozenset({408, 425, 429})


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for a body (receivers compute the same to verify)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """Constant-time check of a signature header, for receivers and tests."""
    return hmac.compare_digest(sign(body, secret), header)


def webhook_body(delivery: Delivery) -> bytes:
    """What a messaging integration receives: the notice's text and why it was sent."""
    payload: dict[str, Any] = {
        "notice_id": delivery.id,
        "stop_id": delivery.stop_id,
        "stop_version": delivery.stop_version,
        "member_id": delivery.member_id,
        "change": delivery.change,
        "purpose": delivery.purpose,
        "subject": delivery.subject,
        "text": delivery.notice.text_body,
        "reason": delivery.reason,
        "short_notice": delivery.short_notice,
        "urgent": delivery.urgent,
        "replaces": delivery.replaces,
        "changes": delivery.changes,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class WebhookError(ConnectionError):
    """The webhook did not take the notice this time; try again later."""


class WebhookSender:
    """Posts signed notices with httpx: a given client, or a short-lived one per notice (few
    members use webhooks, and nothing then outlives the service's stop)."""

    def __init__(self, timeout_seconds: float, client: httpx.AsyncClient | None = None) -> None:
        self._timeout = timeout_seconds
        self._client = client

    async def send(self, delivery: Delivery, url: str, secret: str) -> None:
        body = webhook_body(delivery)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body, secret),
            NOTICE_HEADER: delivery.id,
        }
        try:
            if self._client is not None:
                response = await self._client.post(url, content=body, headers=headers)
            else:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise WebhookError(f"webhook {url}: {error!r}") from error
        status = response.status_code
        if 400 <= status < 500 and status not in RETRYABLE_4XX:
            raise DeliveryRefused(f"webhook {url} refused the notice: HTTP {status}")
        if status >= 300:
            raise WebhookError(f"webhook {url}: HTTP {status}")
