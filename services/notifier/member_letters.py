"""The members' letters inside a running notifier: their unit of work, their dispatcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from services.common.database import SessionFactory
from services.notifier.adapters.member_letters_smtp import LetterMailer
from services.notifier.adapters.smtp import SmtpConfig
from services.notifier.domain.deliveries import Backoff
from services.notifier.member_letters_dispatcher import LetterSender, MemberLetterDispatcher
from services.notifier.member_letters_handlers import SqlMemberLettersUnitOfWork
from services.notifier.settings import NotifierSettings


@dataclass
class MemberLetters:
    """Implements `MemberLetterPorts`; started and stopped with the notifier."""

    settings: NotifierSettings
    letters_uow: Callable[[], SqlMemberLettersUnitOfWork]
    dispatcher: MemberLetterDispatcher

    def letters_queued(self) -> None:
        self.dispatcher.kick()


def build_member_letters(
    settings: NotifierSettings, sessions: SessionFactory, mailer: LetterSender | None = None
) -> MemberLetters:
    """Wired without I/O; letters go through the notifier's SMTP settings and retry policy."""
    uow = lambda: SqlMemberLettersUnitOfWork(sessions, settings.office_id)  # noqa: E731
    mailer = mailer or LetterMailer(
        SmtpConfig(
            settings.smtp_host or "localhost",
            settings.smtp_port,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_start_tls,
        ),
        settings.sender_email,
        settings.sender_name,
        settings.reply_to_email,
    )
    dispatcher = MemberLetterDispatcher(
        uow,
        mailer,
        max_attempts=settings.max_send_attempts,
        poll_seconds=settings.dispatch_poll_seconds,
        backoff=Backoff(settings.retry_base_seconds, settings.retry_max_seconds),
        lease=timedelta(seconds=settings.claim_lease_seconds),
    )
    return MemberLetters(settings, uow, dispatcher)
