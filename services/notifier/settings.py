"""Notifier settings (env prefix NOTIFIER_; SMTP_HOST and SMTP_PORT also accepted bare)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import RuntimeSettings


class NotifierSettings(RuntimeSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore", populate_by_name=True)

    smtp_host: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SMTP_HOST", "NOTIFIER_SMTP_HOST", "smtp_host"),
        description="Mail relay; unset: `dongseon up` starts its local mail sink instead.",
    )
    smtp_port: int = Field(
        default=25, validation_alias=AliasChoices("SMTP_PORT", "NOTIFIER_SMTP_PORT", "smtp_port")
    )
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_start_tls: bool = False
    sender_email: str = "schedule@seoul.example.kr"
    sender_name: str = "서울특별시 시장 비서실"
    max_send_attempts: int = 8
    dispatch_poll_seconds: float = 2.0
