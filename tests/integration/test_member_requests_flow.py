"""A request raised at a visit is routed, answered, and `member_request.answered` reaches
the real broker; the repository runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.events import read_event
from schemas.member_requests import RequestStatus
from schemas.topics import MEMBER_REQUESTS
from services.briefing import member_request_handlers as handlers
from services.briefing.bootstrap import build_briefing_service
from services.briefing.commands import RecordMemberRequest, TransitionMemberRequest
from services.briefing.settings import BriefingSettings

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


async def test_a_request_is_recorded_routed_answered_and_published_in_order(
    database_url: str,
    kafka: str,
    tmp_path: Path,
    read_topic: Callable[..., Awaitable[list[Any]]],
) -> None:
    service = build_briefing_service(
        BriefingSettings(database_url=database_url, data_dir=tmp_path), kafka
    )
    service.migrate()
    await service.broker.connect()
    try:
        recorded = handlers.record_member_request(
            service.uow(),
            RecordMemberRequest(
                member_id="m-021",
                text="월계역 환승주차장 공사 기간 보행로 안전 확보",
                stop_id="stop-vr-1",
                due_date=date(2026, 12, 20),
                recorded_by="대외협력팀",
            ),
            council=service.council,
            now=T0,
            correlation_id="corr-1",
        )
        assert (recorded.member_name, recorded.district) == ("성빛나", "노원구")
        handlers.transition_member_request(
            service.uow(),
            recorded.id,
            TransitionMemberRequest(
                status=RequestStatus.ROUTED, department="도시기반시설본부", note="소관 지정"
            ),
            now=T0 + timedelta(hours=2),
            correlation_id="corr-2",
        )
        handlers.transition_member_request(
            service.uow(),
            recorded.id,
            TransitionMemberRequest(
                status=RequestStatus.ANSWERED,
                changed_by="도시기반시설본부",
                action_taken="보행 안전펜스 120m 설치 완료",
            ),
            now=T0 + timedelta(days=2),
            correlation_id="corr-3",
        )

        stored = handlers.get_member_request(service.uow(), recorded.id)
        assert stored.status is RequestStatus.ANSWERED
        assert [c.to_status for c in stored.history] == list(RequestStatus)[:2] + [
            RequestStatus.ANSWERED
        ]
        assert stored.history[-1].at == T0 + timedelta(days=2)
        open_ones = handlers.find_member_requests(
            service.uow(),
            district="노원구",
            statuses=[s for s in RequestStatus if s is not RequestStatus.ANSWERED],
        )
        assert open_ones == []
        assert handlers.find_member_requests(service.uow(), member_id="m-021") == [stored]

        assert await service.relay.publish_pending() == 3
        records = await read_topic(kafka, MEMBER_REQUESTS.name, at_least=3)
        events = [read_event(r.value) for r in records]
        assert [e.type for e in events] == [
            "member_request.recorded",
            "member_request.updated",
            "member_request.answered",
        ]
        assert {r.key for r in records} == {f"seoul/{recorded.id}".encode()}
        answered = events[-1].payload
        assert answered.action_taken == "보행 안전펜스 120m 설치 완료"
        assert (answered.member_id, answered.department) == ("m-021", "도시기반시설본부")
        assert answered.previous_status is RequestStatus.ROUTED
        assert events[-1].correlation_id == "corr-3"
    finally:
        await service.broker.stop()
        service.engine.dispose()
