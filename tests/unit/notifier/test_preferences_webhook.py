"""The webhook channel against a real local HTTP server: signed body, stable notice id,
refusals that stop retries, and a member's channels honoured by the router."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.notifier.adapters.channels import ChannelRouter
from services.notifier.adapters.webhook import (
    NOTICE_HEADER,
    SIGNATURE_HEADER,
    WebhookError,
    WebhookSender,
    verify,
)
from services.notifier.domain.deliveries import Cause, Delivery, DeliveryRefused
from services.notifier.domain.notices import compose_notice
from services.notifier.domain.preferences import Channel, Preferences
from services.notifier.domain.recipients import CouncilMember, Recipient
from services.notifier.domain.stops import StopView

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SECRET = "s3cret-of-member"


@dataclass
class Received:
    status: int = 204
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def hook() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((dict(self.headers), body))
            self.send_response(received.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def delivery() -> Delivery:
    member = CouncilMember(
        "m-1", "가온", "m1@council.example", "노원구", frozenset(), frozenset(), "가당"
    )
    stop = StopView(
        stop_id="s-1", version=1, title="착공식", purpose="착공 축하", category="groundbreaking",
        policy_area=None, place_name="월계역", district="노원구", starts_at=NOW,
        ends_at=NOW + timedelta(hours=1), public=True, important=False, change="scheduled",
    )  # fmt: skip
    notice = compose_notice(stop, Recipient(member, ("지역구",)), [], "org@seoul.example", NOW)
    sent = Delivery.queue(stop, notice, Cause("c", None, "seoul"), NOW)
    sent.reason = "안내 사유: 지역구(노원구) 시의원"
    return sent


async def test_a_notice_is_posted_signed_with_the_members_secret(
    hook: tuple[str, Received],
) -> None:
    url, received = hook
    notice = delivery()

    await WebhookSender(2.0).send(notice, url, SECRET)

    [(headers, body)] = received.requests
    assert verify(body, SECRET, headers[SIGNATURE_HEADER])
    assert not verify(body, "another-secret", headers[SIGNATURE_HEADER])
    assert headers[NOTICE_HEADER] == notice.id
    payload = json.loads(body)
    assert (payload["notice_id"], payload["reason"]) == (
        notice.id,
        "안내 사유: 지역구(노원구) 시의원",
    )


async def test_a_refusal_is_final_and_a_server_error_is_retried(hook: tuple[str, Received]) -> None:
    url, received = hook
    sender = WebhookSender(2.0)

    received.status = 410
    with pytest.raises(DeliveryRefused):
        await sender.send(delivery(), url, SECRET)
    received.status = 503
    with pytest.raises(WebhookError):
        await sender.send(delivery(), url, SECRET)
    with pytest.raises(WebhookError):
        await sender.send(delivery(), "http://127.0.0.1:1/closed", SECRET)


class Mail:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery.id)


async def test_the_router_follows_each_members_channels(hook: tuple[str, Received]) -> None:
    url, received = hook
    mail = Mail()
    prefs = {"m-1": Preferences("m-1", frozenset({Channel.WEBHOOK}), url, SECRET)}
    router = ChannelRouter(mail, WebhookSender(2.0), lambda: prefs, refresh_seconds=0)

    await router.send(webhook_only := delivery())
    prefs["m-1"] = Preferences("m-1", frozenset({Channel.WEBHOOK, Channel.EMAIL}), url, SECRET)
    await router.send(both := delivery())
    prefs.clear()
    await router.send(default := delivery())

    posted = [h[NOTICE_HEADER] for h, _ in received.requests]
    assert posted == [webhook_only.id, both.id]
    assert mail.sent == [both.id, default.id], "no preferences: e-mail only"
