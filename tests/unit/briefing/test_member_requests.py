"""The follow-up of members' requests: the allowed steps, the history, the refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.member_requests import RequestKind, RequestStatus
from services.briefing.domain.member_requests import (
    ALLOWED,
    MemberRequest,
    record_request,
    transition,
)
from services.common.errors import InvalidInput, StateConflict

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


def received(**overrides: object) -> MemberRequest:
    fields: dict[str, object] = dict(
        id="mr-1",
        member_id="m-021",
        member_name="성빛나",
        kind=RequestKind.REQUEST,
        district="노원구",
        text="공사 기간 보행로 안전 확보",
        stop_id="stop-1",
        session=None,
        department=None,
        due_date=date(2026, 12, 20),
        by="대외협력팀",
        at=T0,
    )
    fields.update(overrides)
    return record_request(**fields)  # type: ignore[arg-type]


def test_a_request_goes_received_routed_in_progress_answered_with_its_history() -> None:
    request = received()
    routed = transition(
        request,
        RequestStatus.ROUTED,
        by="비서실",
        at=T0 + timedelta(hours=1),
        department="도시기반시설본부",
        note="소관부서 지정",
    )
    working = transition(
        routed,
        RequestStatus.IN_PROGRESS,
        by="도시기반시설본부",
        at=T0 + timedelta(days=1),
        note="현장 확인",
    )
    answered = transition(
        working,
        RequestStatus.ANSWERED,
        by="도시기반시설본부",
        at=T0 + timedelta(days=3),
        action_taken="보행 안전펜스 120m 설치",
    )
    assert answered.status is RequestStatus.ANSWERED and not answered.is_open
    assert answered.action_taken == "보행 안전펜스 120m 설치"
    assert answered.department == "도시기반시설본부"
    assert [(c.from_status, c.to_status, c.by) for c in answered.history] == [
        (None, RequestStatus.RECEIVED, "대외협력팀"),
        (RequestStatus.RECEIVED, RequestStatus.ROUTED, "비서실"),
        (RequestStatus.ROUTED, RequestStatus.IN_PROGRESS, "도시기반시설본부"),
        (RequestStatus.IN_PROGRESS, RequestStatus.ANSWERED, "도시기반시설본부"),
    ]
    assert answered.history[1].note == "소관부서 지정"
    assert answered.updated_at == T0 + timedelta(days=3)
    assert request.status is RequestStatus.RECEIVED  # the input is not changed


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (current, to)
        for current in RequestStatus
        for to in RequestStatus
        if to not in ALLOWED[current]
    ],
)
def test_every_step_not_allowed_is_refused_in_korean(
    start: RequestStatus, to: RequestStatus
) -> None:
    request = _at_status(start)
    with pytest.raises(StateConflict) as refused:
        transition(
            request,
            to,
            by="x",
            at=T0 + timedelta(days=5),
            department="d",
            action_taken="a" if to is RequestStatus.ANSWERED else None,
        )
    assert "바꿀 수 없습니다" in str(refused.value)


def test_routing_needs_a_department_and_answering_needs_the_action_taken() -> None:
    with pytest.raises(InvalidInput) as no_department:
        transition(received(), RequestStatus.ROUTED, by="x", at=T0)
    assert no_department.value.field == "department"
    routed = transition(received(), RequestStatus.ROUTED, by="x", at=T0, department="복지정책실")
    with pytest.raises(InvalidInput) as no_action:
        transition(routed, RequestStatus.ANSWERED, by="x", at=T0, action_taken="  ")
    assert no_action.value.field == "action_taken"
    with pytest.raises(InvalidInput):
        transition(routed, RequestStatus.IN_PROGRESS, by="x", at=T0, action_taken="조치")


def test_re_routing_keeps_the_step_in_the_history() -> None:
    routed = transition(received(), RequestStatus.ROUTED, by="x", at=T0, department="복지정책실")
    rerouted = transition(routed, RequestStatus.ROUTED, by="y", at=T0, department="여성가족정책실")
    assert rerouted.department == "여성가족정책실"
    assert [c.department for c in rerouted.history[1:]] == ["복지정책실", "여성가족정책실"]


def test_a_request_needs_its_origin_and_a_due_date_not_before_it() -> None:
    with pytest.raises(InvalidInput) as no_origin:
        received(stop_id=None, session=None)
    assert no_origin.value.field == "session"
    with pytest.raises(InvalidInput) as early:
        received(due_date=date(2026, 11, 1))
    assert early.value.field == "due_date"
    assert received(stop_id=None, session="제311회 정례회").session == "제311회 정례회"


def test_overdue_only_while_open() -> None:
    request = received(due_date=date(2026, 12, 2))
    assert request.overdue(date(2026, 12, 3)) and not request.overdue(date(2026, 12, 2))
    routed = transition(request, RequestStatus.ROUTED, by="x", at=T0, department="d")
    done = transition(routed, RequestStatus.ANSWERED, by="x", at=T0, action_taken="완료")
    assert not done.overdue(date(2027, 1, 1))


def _at_status(status: RequestStatus) -> MemberRequest:
    request = received()
    path = {
        RequestStatus.RECEIVED: [],
        RequestStatus.ROUTED: [RequestStatus.ROUTED],
        RequestStatus.IN_PROGRESS: [RequestStatus.ROUTED, RequestStatus.IN_PROGRESS],
        RequestStatus.ANSWERED: [RequestStatus.ROUTED, RequestStatus.ANSWERED],
    }[status]
    for step in path:
        request = transition(
            request,
            step,
            by="x",
            at=T0,
            department="d" if step is RequestStatus.ROUTED else None,
            action_taken="완료" if step is RequestStatus.ANSWERED else None,
        )
    return request
