"""Council members' requests and questions, followed up to the answer (건의사항 사후관리).

Pure domain: a request is recorded as `received`, routed to a department, taken in hand
and answered with the action taken; every change is kept in its history (who, when, what).
A transition the follow-up does not allow is refused with a Korean reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from schemas.member_requests import RequestKind, RequestStatus
from services.common.errors import InvalidInput, StateConflict

STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.RECEIVED: "접수",
    RequestStatus.ROUTED: "소관부서 지정",
    RequestStatus.IN_PROGRESS: "처리 중",
    RequestStatus.ANSWERED: "조치 완료",
}
KIND_LABELS: dict[RequestKind, str] = {
    RequestKind.REQUEST: "건의사항",
    RequestKind.QUESTION: "시정질문",
    RequestKind.FLOOR_SPEECH: "5분 자유발언",
}

ALLOWED: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.RECEIVED: frozenset({RequestStatus.ROUTED}),
    # routed → routed: re-routed to another department.
    RequestStatus.ROUTED: frozenset(
        {RequestStatus.ROUTED, RequestStatus.IN_PROGRESS, RequestStatus.ANSWERED}
    ),
    # in_progress → in_progress: a progress note (추진경과) for the member.
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.ANSWERED}),
    RequestStatus.ANSWERED: frozenset(),
}
"""Which status may follow which; `answered` is final."""


@dataclass(frozen=True)
class StatusChange:
    """One step of the follow-up: who moved the request from what to what, when and why."""

    at: datetime
    by: str
    from_status: RequestStatus | None
    to_status: RequestStatus
    note: str = ""
    department: str | None = None


@dataclass(frozen=True)
class MemberRequest:
    """A member's request or question and its follow-up so far (times tz-aware)."""

    id: str
    member_id: str
    member_name: str
    kind: RequestKind
    district: str
    text: str
    stop_id: str | None
    session: str | None
    department: str | None
    due_date: date | None
    status: RequestStatus
    recorded_at: datetime
    history: tuple[StatusChange, ...]
    action_taken: str | None = None

    @property
    def is_open(self) -> bool:
        """Still waiting for an answer."""
        return self.status is not RequestStatus.ANSWERED

    def overdue(self, today: date) -> bool:
        """Open and past its due date (Seoul date given by the caller)."""
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def updated_at(self) -> datetime:
        return self.history[-1].at if self.history else self.recorded_at


def record_request(
    *,
    id: str,
    member_id: str,
    member_name: str,
    kind: RequestKind,
    district: str,
    text: str,
    stop_id: str | None,
    session: str | None,
    department: str | None,
    due_date: date | None,
    by: str,
    at: datetime,
) -> MemberRequest:
    """A new request, `received`; where it was raised (a stop or a session) is required."""
    if at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    if not text.strip():
        raise InvalidInput("text", "건의 내용이 비어 있습니다.")
    if not (stop_id or session):
        raise InvalidInput(
            "session", "제기된 일정(stop_id) 또는 회기·간담회(session)가 필요합니다."
        )
    if due_date is not None and due_date < at.date():
        raise InvalidInput("due_date", "처리 기한이 접수일보다 앞설 수 없습니다.")
    change = StatusChange(at=at, by=by, from_status=None, to_status=RequestStatus.RECEIVED)
    return MemberRequest(
        id=id,
        member_id=member_id,
        member_name=member_name,
        kind=kind,
        district=district,
        text=text.strip(),
        stop_id=stop_id,
        session=session,
        department=department,
        due_date=due_date,
        status=RequestStatus.RECEIVED,
        recorded_at=at,
        history=(change,),
    )


def transition(
    request: MemberRequest,
    to: RequestStatus,
    *,
    by: str,
    at: datetime,
    note: str = "",
    department: str | None = None,
    action_taken: str | None = None,
) -> MemberRequest:
    """The request after one step of its follow-up, or a refusal naming why."""
    if at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    if to not in ALLOWED[request.status]:
        raise StateConflict(_refusal(request.status, to))
    routed_to = department or request.department
    if to is RequestStatus.ROUTED and not department:
        raise InvalidInput("department", "소관부서를 지정해야 합니다.")
    if to is not RequestStatus.ROUTED and department and department != request.department:
        raise InvalidInput("department", "소관부서 변경은 '소관부서 지정(routed)'으로 합니다.")
    if to is RequestStatus.ANSWERED and not (action_taken and action_taken.strip()):
        raise InvalidInput("action_taken", "조치결과를 입력해야 합니다.")
    if to is not RequestStatus.ANSWERED and action_taken:
        raise InvalidInput("action_taken", "조치결과는 '조치 완료(answered)'에만 적습니다.")
    change = StatusChange(
        at=at,
        by=by,
        from_status=request.status,
        to_status=to,
        note=note.strip(),
        department=routed_to,
    )
    return replace(
        request,
        status=to,
        department=routed_to,
        history=(*request.history, change),
        action_taken=action_taken.strip() if action_taken else None,
    )


def _refusal(current: RequestStatus, to: RequestStatus) -> str:
    now, wanted = STATUS_LABELS[current], STATUS_LABELS[to]
    allowed = ALLOWED[current]
    if not allowed:
        return f"이미 '{now}'된 건입니다. '{wanted}'(으)로 바꿀 수 없습니다."
    options = ", ".join(f"'{STATUS_LABELS[s]}'" for s in RequestStatus if s in allowed)
    return f"'{now}' 상태에서는 '{wanted}'(으)로 바꿀 수 없습니다. 가능한 다음 단계: {options}."
