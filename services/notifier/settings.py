"""Notifier settings (env prefix NOTIFIER_; SMTP_HOST and SMTP_PORT also accepted bare)."""

from __future__ import annotations

from datetime import time, timedelta

from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import RuntimeSettings
from services.notifier.domain.notices import Letterhead
from services.notifier.domain.reminders import DEFAULT_REMINDER_TIME, ReminderPolicy
from services.notifier.domain.rules import (
    DEFAULT_LEAD_TIMES,
    MATCHING_RULES,
    Contact,
    RuleId,
    RuleSet,
)


class ContactSetting(BaseModel):
    """A configured contact outside the council (a district head)."""

    name: str
    email: str


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
    retry_base_seconds: float = Field(
        default=2.0, gt=0, description="First retry after a failed send; doubles each attempt."
    )
    retry_max_seconds: float = Field(default=600.0, gt=0, description="Longest wait between tries.")
    claim_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long a dispatcher holds the notices it claimed; after that another "
        "notifier process takes over (a crashed one's notices are sent then).",
    )
    dispatch_batch_size: int = Field(default=100, ge=1, description="Notices claimed per round.")
    smtp_concurrency: int = Field(
        default=4, ge=1, description="Mails in flight at once (one SMTP connection each)."
    )
    dispatch_record_every: int = Field(
        default=20,
        ge=1,
        description="Messages whose outcomes are recorded per transaction; also the most "
        "messages (a digest counts once) a crash can leave accepted but unrecorded per process "
        "(they are resent with the same Message-ID).",
    )
    reply_to_email: str | None = Field(
        default="secretariat@seoul.example.kr",
        description="Reply-To of every notice: the secretariat contact members answer to.",
    )
    public_base_url: str = Field(
        default="https://127.0.0.1:8000",
        description="Where members reach the feeds (https); feed links in notices use it, "
        "and its webcal:// twin.",
    )
    # Who is told and when (see services/notifier/domain/rules.py)
    disabled_rules: list[RuleId] = Field(
        default_factory=list,
        description='Recipient rules switched off, e.g. `["district_head"]` (JSON in the env).',
    )
    district_heads: dict[str, ContactSetting] = Field(
        default_factory=dict,
        description='District heads told of local events: `{"노원구": {"name": …, "email": …}}`.',
    )
    lead_time_hours: dict[RuleId, float] = Field(
        default_factory=dict,
        description="Lead time per rule in hours, over the defaults (48 h before a visit, "
        '24 h for a council meeting or press briefing), e.g. `{"council_meeting": 12}`.',
    )
    urgent_within_hours: float = Field(
        default=24.0,
        ge=0,
        description="Notices about stops starting this soon are urgent: they ignore quiet "
        "hours and the digest.",
    )
    send_at_lead_time: bool = Field(
        default=True,
        description="False: every notice goes out at once (demos, tests of the mail path); "
        "True: advance notices wait for their rule's lead time.",
    )
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    reminder_time: time = Field(
        default=DEFAULT_REMINDER_TIME,
        description="Seoul time, the day before a stop, at which members who chose the "
        "day-before reminder get it (e.g. 18:00).",
    )

    def rule_set(self) -> RuleSet:
        """The recipient rules these settings describe."""
        lead_times = dict(DEFAULT_LEAD_TIMES)
        lead_times.update({rule: timedelta(hours=h) for rule, h in self.lead_time_hours.items()})
        return RuleSet(
            enabled=frozenset(MATCHING_RULES) - frozenset(self.disabled_rules),
            district_heads={d: Contact(c.name, c.email) for d, c in self.district_heads.items()},
            lead_times=lead_times,
            urgent_within=timedelta(hours=self.urgent_within_hours),
            send_at_once=not self.send_at_lead_time,
        )

    def reminder_policy(self) -> ReminderPolicy:
        """When day-before reminders go."""
        return ReminderPolicy(self.reminder_time)

    def letterhead(self) -> Letterhead:
        """The contact and feed address every notice of this office carries."""
        return Letterhead(contact=self.reply_to_email, feed_base_url=self.public_base_url)

    feed_recheck_seconds: float = Field(
        default=1.0,
        ge=0,
        description="A feed checked this recently (token, stored stops) is served again "
        "without a query; a change made by another process shows within this much.",
    )
