"""Use cases of the members' requests: record, move one step, list; each step is published."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from schemas.events import (
    MEMBER_REQUEST_ANSWERED,
    MEMBER_REQUEST_RECORDED,
    MEMBER_REQUEST_UPDATED,
)
from schemas.member_requests import (
    MemberRequestAnswered,
    MemberRequestRecorded,
    MemberRequestUpdated,
    RequestStatus,
)
from services.briefing.commands import RecordMemberRequest, TransitionMemberRequest
from services.briefing.domain.council import CouncilDirectory
from services.briefing.domain.member_requests import MemberRequest, record_request, transition
from services.briefing.ports import BriefingUnitOfWork
from services.common.errors import InvalidInput, NotFound

PRODUCER = "briefing"


def record_member_request(
    uow: BriefingUnitOfWork,
    command: RecordMemberRequest,
    *,
    council: CouncilDirectory,
    now: datetime,
    correlation_id: str,
) -> MemberRequest:
    """Record a request as received; the member's name and district come from the roster."""
    member = council.get(command.member_id)
    name = command.member_name or (member.name if member else None)
    district = command.district or (member.district if member else None)
    if name is None:
        raise InvalidInput("member_id", "명단에 없는 의원입니다. member_name을 함께 적어 주세요.")
    if district is None:
        raise InvalidInput("district", "명단에 없는 의원은 자치구(district)를 적어야 합니다.")
    request = record_request(
        id=f"mr-{uuid.uuid4().hex[:12]}",
        member_id=command.member_id,
        member_name=name,
        kind=command.kind,
        district=district,
        text=command.text,
        stop_id=command.stop_id,
        session=command.session,
        department=command.department,
        due_date=command.due_date,
        by=command.recorded_by,
        at=now,
    )
    payload = MemberRequestRecorded(
        **_facts(request), recorded_by=command.recorded_by, recorded_at=now
    )
    with uow:
        uow.requests.save(request)
        _publish(uow, MEMBER_REQUEST_RECORDED, payload, correlation_id, now)
        uow.commit()
    return request


def transition_member_request(
    uow: BriefingUnitOfWork,
    request_id: str,
    command: TransitionMemberRequest,
    *,
    now: datetime,
    correlation_id: str,
) -> MemberRequest:
    """One step of the follow-up; `answered` publishes the action taken for the member."""
    with uow:
        current = uow.requests.get(request_id)
        if current is None:
            raise NotFound("건의사항", request_id)
        changed = transition(
            current,
            command.status,
            by=command.changed_by,
            at=now,
            note=command.note,
            department=command.department,
            action_taken=command.action_taken,
        )
        uow.requests.save(changed)
        if changed.status is RequestStatus.ANSWERED:
            answered = MemberRequestAnswered(
                **_facts(changed),
                previous_status=current.status,
                action_taken=changed.action_taken or "",
                answered_by=command.changed_by,
                answered_at=now,
            )
            _publish(uow, MEMBER_REQUEST_ANSWERED, answered, correlation_id, now)
        else:
            updated = MemberRequestUpdated(
                **_facts(changed),
                previous_status=current.status,
                changed_by=command.changed_by,
                changed_at=now,
                note=changed.history[-1].note,
            )
            _publish(uow, MEMBER_REQUEST_UPDATED, updated, correlation_id, now)
        uow.commit()
    return changed


def find_member_requests(
    uow: BriefingUnitOfWork,
    *,
    member_id: str | None = None,
    district: str | None = None,
    statuses: Sequence[RequestStatus] | None = None,
) -> list[MemberRequest]:
    with uow:
        return uow.requests.find(member_id=member_id, district=district, statuses=statuses)


def get_member_request(uow: BriefingUnitOfWork, request_id: str) -> MemberRequest:
    with uow:
        found = uow.requests.get(request_id)
    if found is None:
        raise NotFound("건의사항", request_id)
    return found


def _facts(request: MemberRequest) -> dict[str, Any]:
    return dict(
        request_id=request.id,
        member_id=request.member_id,
        member_name=request.member_name,
        kind=request.kind,
        district=request.district,
        text=request.text,
        stop_id=request.stop_id,
        session=request.session,
        department=request.department,
        due_date=request.due_date,
        status=request.status,
    )


def _publish(
    uow: BriefingUnitOfWork, kind: Any, payload: Any, correlation_id: str, now: datetime
) -> None:
    uow.publish(
        kind,
        kind.envelope(
            payload,
            producer=PRODUCER,
            correlation_id=correlation_id,
            occurred_at=now,
            office_id=uow.office_id,
        ),
    )
