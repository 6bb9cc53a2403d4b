"""HTTP routes for who is told and how: "why was I notified?", a notice's delivery state,
operator add/exclude per stop, a member's decisions, preferences and page."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from services.common.http import error_responses
from services.notifier import follow_up_handlers
from services.notifier import recipient_handlers as handlers
from services.notifier.domain.decisions import Decision, OverrideAction
from services.notifier.domain.deliveries import Delivery, DeliveryPurpose
from services.notifier.domain.follow_ups import MAX_PROGRESS_LENGTH, FollowUp
from services.notifier.domain.notice_states import NoticeState, notice_state
from services.notifier.domain.preferences import Channel, Preferences, QuietHours
from services.notifier.domain.rules import RuleId
from services.notifier.ports import NotifierPorts

T = TypeVar("T")


class DecisionOut(BaseModel):
    stop_id: str
    stop_version: int
    member_id: str
    member_name: str
    rule: RuleId = Field(description="The rule that made the decision.")
    rule_label: str = Field(description="The rule in Korean.")
    included: bool = Field(description="False: the member was excluded (by an operator).")
    explanation: str = Field(description="Why, in Korean.")
    decided_at: datetime
    notice_id: str | None = Field(description="The notice this decision queued, if any.")

    @classmethod
    def of(cls, d: Decision) -> DecisionOut:
        return cls(
            stop_id=d.stop_id,
            stop_version=d.stop_version,
            member_id=d.member_id,
            member_name=d.member_name,
            rule=d.rule,
            rule_label=d.rule.label,
            included=d.included,
            explanation=d.explanation,
            decided_at=d.decided_at,
            notice_id=d.delivery_id,
        )


class NoticeStateOut(BaseModel):
    id: str
    stop_id: str
    stop_version: int
    member_id: str
    purpose: DeliveryPurpose = Field(
        description="`notice` (advance notice, update, cancellation), `reminder` (the day "
        "before), `follow_up` (progress after a press announcement) or `withdrawal` (an "
        "operator excluded a member who held the invitation)."
    )
    follow_up_no: int = Field(description="Which progress mark a follow-up tells; else 0.")
    round: int = Field(
        description="The member's n-th invitation at this stop version (0 the first; 1, 2, … "
        "when added back after a withdrawal went out); a withdrawal or reminder carries the "
        "round of the invitation it goes with."
    )
    digest_at: datetime | None = Field(description="The daily digest it goes out with, if any.")
    state: NoticeState = Field(
        description="scheduled, due, retrying, sent, failed (with reason) or superseded."
    )
    state_label: str
    not_before: datetime = Field(description="When it may go out (next attempt when retrying).")
    short_notice: bool = Field(description="The stop was confirmed later than the lead time.")
    urgent: bool = Field(description="Sent despite quiet hours and the digest.")
    attempts: int
    last_error: str | None = Field(description="Why the last attempt failed.")
    sent_at: datetime | None
    replaces: str | None = Field(description="The earlier notice this one updates.")
    superseded_by: str | None = Field(description="The notice that replaced this one unsent.")
    changes: str = Field(description="What changed since the earlier notice (Korean).")
    reason: str = Field(description="Why the member received it: the e-mail footer's line.")

    @classmethod
    def of(cls, d: Delivery, now: datetime) -> NoticeStateOut:
        state = notice_state(d, now)
        return cls(
            id=d.id,
            stop_id=d.stop_id,
            stop_version=d.stop_version,
            member_id=d.member_id,
            purpose=d.purpose,
            follow_up_no=d.follow_up_no,
            round=d.round,
            digest_at=d.digest_at,
            state=state,
            state_label=state.label,
            not_before=d.next_attempt_at,
            short_notice=d.short_notice,
            urgent=d.urgent,
            attempts=d.attempts,
            last_error=d.last_error,
            sent_at=d.sent_at,
            replaces=d.replaces,
            superseded_by=d.superseded_by,
            changes=d.changes,
            reason=d.reason,
        )


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    progress: str = Field(
        min_length=1,
        max_length=MAX_PROGRESS_LENGTH,
        description="What progress was made since the announcement (Korean), as mailed.",
        examples=["발표한 청년 주거 지원 사업의 신청 접수가 시작되었습니다."],
    )


class FollowUpOut(BaseModel):
    id: str
    stop_id: str
    stop_version: int
    number: int = Field(description="1 for the stop's first progress mark, then 2, 3, …")
    progress: str
    marked_at: datetime
    recipients: int = Field(description="How many members it was queued to.")

    @classmethod
    def of(cls, f: FollowUp) -> FollowUpOut:
        return cls(
            id=f.id,
            stop_id=f.stop_id,
            stop_version=f.stop_version,
            number=f.number,
            progress=f.progress,
            marked_at=f.marked_at,
            recipients=f.recipients,
        )


class FollowUpQueuedOut(FollowUpOut):
    notice_ids: list[str] = Field(description="The follow-up notices queued, one per member.")


class WhyOut(BaseModel):
    notice: NoticeStateOut
    decisions: list[DecisionOut] = Field(description="The stored decisions that sent it.")
    follow_up: FollowUpOut | None = Field(
        default=None, description="For a follow-up: the progress mark it tells."
    )


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(min_length=1, max_length=64)
    action: OverrideAction = Field(description="`add` or `exclude` the member for this stop.")
    reason: str = Field(min_length=1, max_length=500, description="Why (Korean), stored and shown.")


class OverrideOut(BaseModel):
    stop_id: str
    member_id: str
    action: OverrideAction
    reason: str
    queued: int = Field(description="Notices queued by this change.")
    decisions: list[DecisionOut]


class QuietHoursIO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time = Field(description="Seoul time, e.g. 22:00.")
    end: time = Field(description="Seoul time, e.g. 07:00 (may be on the next day).")


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[Channel] = Field(min_length=1, max_length=2, examples=[["email"]])
    webhook_url: AnyHttpUrl | None = Field(default=None, max_length=2000)
    quiet_hours: QuietHoursIO | None = None
    daily_digest: bool = Field(default=False, description="Non-urgent notices at digest_time.")
    digest_time: time = time(8, 0)
    day_before_reminder: bool = Field(
        default=False,
        description="Also a reminder the day before each stop (at the office's reminder time).",
    )
    rotate_webhook_secret: bool = Field(default=False, description="Issue a new secret.")


class PreferencesOut(BaseModel):
    member_id: str
    channels: list[Channel]
    webhook_url: str | None
    webhook_secret: str | None = Field(
        description="Signs each webhook body: header `X-Dongseon-Signature: sha256=<hex HMAC>`."
    )
    quiet_hours: QuietHoursIO | None
    daily_digest: bool
    digest_time: time
    day_before_reminder: bool

    @classmethod
    def of(cls, p: Preferences) -> PreferencesOut:
        quiet = p.quiet_hours
        return cls(
            member_id=p.member_id,
            channels=sorted(p.channels),
            webhook_url=p.webhook_url,
            webhook_secret=p.webhook_secret,
            quiet_hours=QuietHoursIO(start=quiet.start, end=quiet.end) if quiet else None,
            daily_digest=p.daily_digest,
            digest_time=p.digest_time,
            day_before_reminder=p.day_before_reminder,
        )


def build_recipients_router(notifier: NotifierPorts) -> APIRouter:
    router = APIRouter(tags=["notifier"])

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(partial(fn, notifier.uow(), *args, **kwargs))

    @router.get(
        "/api/notices/{notice_id}/why", response_model=WhyOut, responses=error_responses(404)
    )
    async def why(notice_id: str) -> WhyOut:
        """Why this notice reached its member, from the decisions stored when it was queued."""
        found = await run(handlers.why_notified, notice_id)
        return WhyOut(
            notice=NoticeStateOut.of(found.delivery, _now()),
            decisions=[DecisionOut.of(d) for d in found.decisions],
            follow_up=FollowUpOut.of(found.follow_up) if found.follow_up else None,
        )

    @router.get(
        "/api/notices/{notice_id}/state",
        response_model=NoticeStateOut,
        responses=error_responses(404),
    )
    async def state(notice_id: str) -> NoticeStateOut:
        return NoticeStateOut.of(await run(handlers.get_notice, notice_id), _now())

    @router.get(
        "/api/members/{member_id}/decisions",
        response_model=list[DecisionOut],
        responses=error_responses(404),
    )
    async def decisions(
        member_id: str, limit: Annotated[int, Query(ge=1, le=1000)] = 200
    ) -> list[DecisionOut]:
        return [DecisionOut.of(d) for d in await run(handlers.member_decisions, member_id, limit)]

    @router.post(
        "/api/stops/{stop_id}/recipients",
        response_model=OverrideOut,
        responses=error_responses(404, 422),
    )
    async def override(stop_id: str, body: OverrideIn) -> OverrideOut:
        """An operator adds or excludes one member for one stop, with a reason."""
        result = await run(
            handlers.override_recipient,
            stop_id,
            body.member_id,
            body.action,
            body.reason,
            organizer_email=notifier.settings.sender_email,
            rules=notifier.settings.rule_set(),
            now=_now(),
            reminders=notifier.settings.reminder_policy(),
        )
        o = result.override
        return OverrideOut(
            stop_id=o.stop_id,
            member_id=o.member_id,
            action=o.action,
            reason=o.reason,
            queued=result.queued,
            decisions=[DecisionOut.of(d) for d in result.decisions],
        )

    @router.post(
        "/api/stops/{stop_id}/follow-ups",
        response_model=FollowUpQueuedOut,
        status_code=201,
        responses=error_responses(404, 409, 422),
    )
    async def follow_up(stop_id: str, body: FollowUpIn) -> FollowUpQueuedOut:
        """Mark progress after a press announcement: each member who was told of it gets a
        follow-up saying so (one per mark). 422 unless the stop is a press announcement that
        took place and was not cancelled."""
        result = await run(
            follow_up_handlers.mark_follow_up,
            stop_id,
            body.progress,
            organizer_email=notifier.settings.sender_email,
            rules=notifier.settings.rule_set(),
            now=_now(),
            letterhead=notifier.settings.letterhead(),
        )
        notifier.notices_queued()
        out = FollowUpOut.of(result.follow_up)
        return FollowUpQueuedOut(**out.model_dump(), notice_ids=result.notice_ids)

    @router.get(
        "/api/stops/{stop_id}/follow-ups",
        response_model=list[FollowUpOut],
        responses=error_responses(404),
    )
    async def follow_ups(stop_id: str) -> list[FollowUpOut]:
        return [FollowUpOut.of(f) for f in await run(follow_up_handlers.follow_ups_of, stop_id)]

    @router.get(
        "/api/members/{member_id}/preferences",
        response_model=PreferencesOut,
        responses=error_responses(404),
    )
    async def preferences(member_id: str) -> PreferencesOut:
        return PreferencesOut.of(await run(handlers.member_preferences, member_id))

    @router.put(
        "/api/members/{member_id}/preferences",
        response_model=PreferencesOut,
        responses=error_responses(404, 422),
    )
    async def update_preferences(member_id: str, body: PreferencesIn) -> PreferencesOut:
        quiet = body.quiet_hours
        wanted = Preferences(
            member_id=member_id,
            channels=frozenset(body.channels),
            webhook_url=str(body.webhook_url) if body.webhook_url else None,
            quiet_hours=QuietHours(quiet.start, quiet.end) if quiet else None,
            daily_digest=body.daily_digest,
            digest_time=body.digest_time,
            day_before_reminder=body.day_before_reminder,
        )
        saved = await run(
            handlers.update_preferences,
            wanted,
            _now(),
            rotate_secret=body.rotate_webhook_secret,
            organizer_email=notifier.settings.sender_email,
            letterhead=notifier.settings.letterhead(),
            reminders=notifier.settings.reminder_policy(),
        )
        return PreferencesOut.of(saved)

    @router.get("/members/{member_id}", response_class=HTMLResponse, include_in_schema=False)
    async def member_page(member_id: str) -> str:
        """The member's page: why each notice reached them, and their preferences."""
        prefs = await run(handlers.member_preferences, member_id)
        found = await run(handlers.member_decisions, member_id, 500)
        return _member_html(member_id, found, prefs)

    return router


def _now() -> datetime:
    return datetime.now(UTC)


def _member_html(member_id: str, decisions: list[Decision], prefs: Preferences) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(d.stop_id)} ({d.stop_version}차)</td><td>{esc(d.rule.label)}</td>"
        f"<td>{'안내' if d.included else '제외'}</td><td>{esc(d.explanation)}</td>"
        f"<td>{esc(d.decided_at.isoformat(timespec='minutes'))}</td></tr>"
        for d in decisions
    )
    channels = ", ".join({"email": "이메일", "webhook": "웹훅"}[c] for c in sorted(prefs.channels))
    quiet = prefs.quiet_hours
    quiet_text = f"{quiet.start:%H:%M}–{quiet.end:%H:%M}" if quiet else "없음"
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
        f"<title>{esc(member_id)} 안내 내역</title></head><body>"
        f"<h1>{esc(member_id)} 의원 안내 내역</h1>"
        f"<p>안내 경로: {esc(channels)} · 방해 금지 시간: {esc(quiet_text)} · "
        f"일일 묶음 발송: {'예' if prefs.daily_digest else '아니오'} · "
        f"전날 알림: {'예' if prefs.day_before_reminder else '아니오'}</p>"
        "<h2>왜 안내를 받았나요?</h2>"
        "<table><tr><th>일정</th><th>규칙</th><th>결정</th><th>사유</th><th>결정 시각</th></tr>"
        f"{rows}</table></body></html>"
    )
