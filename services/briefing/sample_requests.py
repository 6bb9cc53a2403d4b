"""The packaged sample of members' requests (fictional), loaded through the handlers.

Each request is recorded some days before "now" and walked through its steps, so the sample
has open and answered items with a real history, and every step is published as an event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.member_requests import RequestKind, RequestStatus
from services.briefing import member_request_handlers as handlers
from services.briefing.commands import RecordMemberRequest, TransitionMemberRequest
from services.briefing.domain.council import CouncilDirectory
from services.briefing.ports import BriefingPorts, BriefingUnitOfWork
from services.sample_data.base import DATA_DIR

SAMPLE_FILE = DATA_DIR / "member_requests.json"
CORRELATION = "sample-member-requests"


class SampleStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: RequestStatus
    after_days: int = Field(ge=0)
    by: str
    note: str = ""
    action_taken: str | None = None


class SampleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    member_id: str
    kind: RequestKind
    session: str
    text: str
    department: str | None
    recorded_days_before: int = Field(ge=1)
    due_in_days: int = Field(ge=0)
    steps: list[SampleStep]

    @model_validator(mode="after")
    def _steps_in_the_past(self) -> SampleRequest:
        if any(step.after_days >= self.recorded_days_before for step in self.steps):
            raise ValueError(f"{self.text}: a step would lie in the future")
        return self


class SampleRequests(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fictional: bool
    notice: str
    requests: list[SampleRequest]

    @model_validator(mode="after")
    def _marked_fictional(self) -> SampleRequests:
        if not self.fictional:
            raise ValueError("the sample member requests must be marked fictional")
        return self


def read_sample_requests(path: Path = SAMPLE_FILE) -> SampleRequests:
    return SampleRequests.model_validate_json(path.read_text(encoding="utf-8"))


def load_sample_member_requests(
    ports: BriefingPorts, *, now: datetime, sample: SampleRequests | None = None
) -> int:
    """Record and follow up the sample requests unless some are already stored; how many.

    The stack calls it after start (`load_sample_member_requests(stack.briefing, now=...)`).
    """
    loaded = _load(ports.uow, council=ports.council, now=now, sample=sample)
    if loaded:
        ports.events_staged()
    return loaded


def _load(
    new_uow: Callable[[], BriefingUnitOfWork],
    *,
    council: CouncilDirectory,
    now: datetime,
    sample: SampleRequests | None,
) -> int:
    if handlers.find_member_requests(new_uow()):
        return 0
    sample = sample or read_sample_requests()
    for item in sample.requests:
        recorded_at = now - timedelta(days=item.recorded_days_before)
        request = handlers.record_member_request(
            new_uow(),
            RecordMemberRequest(
                member_id=item.member_id,
                kind=item.kind,
                text=item.text,
                session=item.session,
                department=item.department,
                due_date=(recorded_at + timedelta(days=item.due_in_days)).date(),
                recorded_by="대외협력팀",
            ),
            council=council,
            now=recorded_at,
            correlation_id=CORRELATION,
        )
        for step in item.steps:
            routing = step.status is RequestStatus.ROUTED
            handlers.transition_member_request(
                new_uow(),
                request.id,
                TransitionMemberRequest(
                    status=step.status,
                    changed_by=step.by,
                    note=step.note,
                    department=item.department if routing else None,
                    action_taken=step.action_taken,
                ),
                now=recorded_at + timedelta(days=step.after_days, hours=1),
                correlation_id=CORRELATION,
            )
    return len(sample.requests)
