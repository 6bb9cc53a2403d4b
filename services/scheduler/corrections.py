"""Use cases that correct what schedulers entered: edit, withdraw, delete.

A withdrawn request or commitment stays for history and is never planned again; the next
confirmation of a day it was on cancels its stop. Only what was never on a confirmed plan
can be deleted, so no notice ever refers to something that vanished.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from schemas.vocabulary import SEOUL
from services.common.errors import NotFound, StateConflict
from services.scheduler.commands import CreateCommitment, CreateVisitRequest
from services.scheduler.domain.proposals import visit_stop_id
from services.scheduler.domain.requests import (
    Commitment,
    CommitmentStatus,
    RequestStatus,
    VisitRequest,
)
from services.scheduler.handlers import commitment_from, visit_request_from
from services.scheduler.patches import CommitmentPatch, VisitRequestPatch, patched
from services.scheduler.unit_of_work import SchedulerUnitOfWork

REQUEST = "방문 요청"
COMMITMENT = "고정 일정"


def edit_visit_request(
    uow: SchedulerUnitOfWork, request_id: str, patch: VisitRequestPatch, now: datetime
) -> VisitRequest:
    """Change any fields; the result is validated as a new request (ValidationError if not).

    A request on a confirmed plan keeps its status: the next confirmation of its day
    reschedules (or cancels) its stop with the new fields.
    """
    with uow:
        current = _request(uow, request_id)
        if current.status == RequestStatus.WITHDRAWN:
            raise StateConflict("철회된 요청은 수정할 수 없습니다. 새 요청으로 등록해 주세요.")
        command = patched(CreateVisitRequest, request_fields(current), patch, _today(now))
        edited = visit_request_from(command, request_id)
        edited = _with_status(edited, current.status)
        uow.repo.update_request(edited)
        uow.commit()
    return edited


def withdraw_visit_request(
    uow: SchedulerUnitOfWork, request_id: str, now: datetime
) -> VisitRequest:
    """Mark a request withdrawn (idempotent); it is no longer planned."""
    with uow:
        current = _request(uow, request_id)
        withdrawn = _with_status(current, RequestStatus.WITHDRAWN)
        uow.repo.update_request(withdrawn)
        uow.commit()
    return withdrawn


def delete_visit_request(uow: SchedulerUnitOfWork, request_id: str) -> None:
    """Delete a request that was never on a confirmed plan; otherwise 409: withdraw it."""
    with uow:
        _request(uow, request_id)
        if uow.repo.has_stops(visit_stop_id(request_id)):
            raise StateConflict(
                "확정된 일정에 들어간 적이 있는 요청은 삭제할 수 없습니다. "
                "기록이 남도록 철회(withdraw)해 주세요.",
                [{"id": request_id}],
            )
        uow.repo.delete_request(request_id)
        uow.commit()


def edit_commitment(
    uow: SchedulerUnitOfWork, commitment_id: str, patch: CommitmentPatch, now: datetime
) -> Commitment:
    """Change any fields; validated as a new commitment. Confirmed days change when re-confirmed."""
    with uow:
        current = _commitment(uow, commitment_id)
        if current.status == CommitmentStatus.WITHDRAWN:
            raise StateConflict("철회된 고정 일정은 수정할 수 없습니다. 새로 등록해 주세요.")
        command = patched(CreateCommitment, commitment_fields(current), patch, _today(now))
        edited = commitment_from(command, commitment_id)
        uow.repo.update_commitment(edited)
        uow.commit()
    return edited


def withdraw_commitment(uow: SchedulerUnitOfWork, commitment_id: str, now: datetime) -> Commitment:
    """Mark a commitment withdrawn (idempotent); days confirmed with it cancel it on re-confirmation."""
    with uow:
        current = _commitment(uow, commitment_id)
        withdrawn = replace(current, status=CommitmentStatus.WITHDRAWN)
        uow.repo.update_commitment(withdrawn)
        uow.commit()
    return withdrawn


def delete_commitment(uow: SchedulerUnitOfWork, commitment_id: str) -> None:
    """Delete a commitment none of whose occurrences was ever confirmed; otherwise 409."""
    with uow:
        _commitment(uow, commitment_id)
        if uow.repo.has_stops(f"stop-{commitment_id}-", prefix=True):
            raise StateConflict(
                "확정된 일정에 들어간 적이 있는 고정 일정은 삭제할 수 없습니다. "
                "기록이 남도록 철회(withdraw)해 주세요.",
                [{"id": commitment_id}],
            )
        uow.repo.delete_commitment(commitment_id)
        uow.commit()


def get_visit_request(uow: SchedulerUnitOfWork, request_id: str) -> VisitRequest:
    with uow:
        return _request(uow, request_id)


def get_commitment(uow: SchedulerUnitOfWork, commitment_id: str) -> Commitment:
    with uow:
        return _commitment(uow, commitment_id)


def request_fields(request: VisitRequest) -> dict[str, Any]:
    """A stored request as the fields of the command that would create it (JSON values)."""
    return {
        **_described(request),
        "duration_minutes": int(request.duration.total_seconds() // 60),
        "windows": [
            {"start": w.start.isoformat(), "end": w.end.isoformat()} for w in request.windows
        ],
        "priority": request.priority,
        "mandatory": request.mandatory,
        "member_ids": list(request.member_ids),
    }


def commitment_fields(commitment: Commitment) -> dict[str, Any]:
    """A stored commitment as the fields of the command that would create it."""
    return {
        **_described(commitment),
        "starts_at": commitment.starts_at.isoformat(),
        "ends_at": commitment.ends_at.isoformat(),
        "recurrence": commitment.recurrence.value,
        "rrule": commitment.rrule,
        "exdates": [d.isoformat() for d in commitment.exdates],
        "covers_lunch": commitment.covers_lunch,
    }


def _described(item: VisitRequest | Commitment) -> dict[str, Any]:
    return {
        "title": item.title,
        "purpose": item.purpose,
        "category": item.category,
        "policy_area": item.policy_area,
        "place": {
            "name": item.place.name,
            "district": item.place.district,
            "latitude": item.place.latitude,
            "longitude": item.place.longitude,
        },
        "public": item.public,
        "important": item.important,
        "requesting_department": item.requesting_department,
    }


def _request(uow: SchedulerUnitOfWork, request_id: str) -> VisitRequest:
    request = uow.repo.get_request(request_id)
    if request is None:
        raise NotFound(REQUEST, request_id)
    return request


def _commitment(uow: SchedulerUnitOfWork, commitment_id: str) -> Commitment:
    commitment = uow.repo.get_commitment(commitment_id)
    if commitment is None:
        raise NotFound(COMMITMENT, commitment_id)
    return commitment


def _with_status(request: VisitRequest, status: RequestStatus) -> VisitRequest:
    return replace(request, status=status)


def _today(now: datetime) -> date:
    return now.astimezone(SEOUL).date()
