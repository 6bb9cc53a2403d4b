"""Members' preferences: what can be honoured, with Korean reasons for what cannot."""

from __future__ import annotations

from datetime import time

import pytest

from services.common.errors import InvalidInput
from services.notifier.domain.preferences import Channel, Preferences, QuietHours


def test_defaults_are_email_at_once() -> None:
    prefs = Preferences("m-1").validated()

    assert prefs.channels == {Channel.EMAIL}
    assert prefs.quiet_hours is None and not prefs.daily_digest and prefs.webhook_secret is None


def test_a_webhook_gets_its_own_unguessable_secret() -> None:
    wanted = Preferences("m-1", frozenset({Channel.WEBHOOK}), webhook_url="https://chat.example/h")

    first, second = wanted.validated(), wanted.validated()

    assert first.webhook_secret and second.webhook_secret
    assert first.webhook_secret != second.webhook_secret
    assert len(first.webhook_secret) >= 40
    assert first.webhook_secret not in repr(first), "the secret never reaches a log line"


@pytest.mark.parametrize(
    ("prefs", "field", "reason"),
    [
        (Preferences("m", frozenset()), "channels", "하나 이상"),
        (Preferences("m", frozenset({Channel.WEBHOOK})), "webhook_url", "웹훅 주소가 필요"),
        (
            Preferences("m", webhook_url="ftp://x.example/h"),
            "webhook_url",
            "http(s)로 시작",
        ),
        (
            Preferences("m", quiet_hours=QuietHours(time(22), time(22))),
            "quiet_hours",
            "같을 수 없습니다",
        ),
    ],
)
def test_impossible_preferences_are_refused_in_korean(
    prefs: Preferences, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        prefs.validated()

    assert refused.value.field == field
    assert reason in refused.value.reason
