"""Notifier settings (env prefix NOTIFIER_; SMTP_HOST and SMTP_PORT also accepted bare)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import RuntimeSettings


class NotifierSettings(RuntimeSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore", populate_by_name=True)

    smtp_host: str = Field(
        default="127.0.0.1",
        validation_alias=AliasChoices("SMTP_HOST", "NOTIFIER_SMTP_HOST", "smtp_host"),
    )
    smtp_port: int = Field(
        default=8025, validation_alias=AliasChoices("SMTP_PORT", "NOTIFIER_SMTP_PORT", "smtp_port")
    )
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_start_tls: bool = False
    sender_email: str = "schedule@seoul.example.kr"
    sender_name: str = "서울특별시 시장 비서실"
    max_send_attempts: int = 8
    dispatch_poll_seconds: float = 2.0
