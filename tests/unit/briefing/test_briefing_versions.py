"""Briefing versions through the handler (fakes of our own ports): a reschedule makes the next
version saying what changed, a cancellation withdraws it, `briefing.ready` carries both."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from briefing_fakes import FakeUnitOfWork, PackagedRecords

from schemas.briefing import BriefingReady
from schemas.envelope import Envelope
from schemas.events import ITINERARY_CONFIRMED
from schemas.member_requests import RequestKind
from schemas.scheduler import ItineraryConfirmed, StopChange, StopSnapshot
from services.briefing import handlers
from services.briefing.adapters.roster_file import load_council_directory
from services.briefing.domain.briefing_doc import SectionKey
from services.briefing.domain.member_requests import record_request

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
RECORDS = PackagedRecords()
COUNCIL = load_council_directory()


def stop(version: int, hours_later: int = 0, stop_id: str = "stop-1") -> StopSnapshot:
    starts_at = START + timedelta(hours=hours_later)
    return StopSnapshot(
        stop_id=stop_id,
        version=version,
        kind="visit",
        title="노원구 특고압 송전선로 지중화사업 착공식",
        purpose="착공 축하",
        category="groundbreaking",
        policy_area="urban_planning",
        place_name="월계역 환승주차장",
        district="노원구",
        latitude=37.62,
        longitude=127.06,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        public=True,
        important=True,
        requesting_department="도시기반시설본부",
    )


def confirmed(*changes: StopChange) -> Envelope[Any]:
    payload = ItineraryConfirmed(
        itinerary_date=date(2026, 12, 1),
        plan_version=1,
        proposal_id="pr-1",
        confirmed_by="일정팀",
        changes=list(changes),
    )
    return ITINERARY_CONFIRMED.envelope(payload, producer="scheduler", correlation_id="c-1")


def handle(uow: FakeUnitOfWork, *changes: StopChange) -> list[BriefingReady]:
    handlers.when_itinerary_confirmed_build_briefings(
        uow, confirmed(*changes), now=NOW, records=RECORDS, council=COUNCIL
    )
    return [e.payload for e in uow.published]


def test_versions_follow_the_stop_and_say_what_changed() -> None:
    uow = FakeUnitOfWork()
    first = stop(1)
    moved = stop(2, hours_later=2)
    handle(uow, StopChange(change="scheduled", stop=first))
    handle(uow, StopChange(change="rescheduled", stop=moved, previous=first))
    handle(uow, StopChange(change="cancelled", stop=stop(3, hours_later=2), previous=moved))

    ready = [e.payload for e in uow.published]
    assert [(r.briefing_version, r.withdrawn) for r in ready] == [(1, False), (2, False), (3, True)]
    assert ready[0].changes_since_last == []
    assert len(ready[1].changes_since_last) == 1
    assert ready[1].changes_since_last[0].startswith("일시:")
    assert "14:00–15:00 → " in ready[1].changes_since_last[0]
    assert ready[2].changes_since_last == ["일정 취소"]

    stored = handlers.briefings_for_stop(uow, "stop-1")
    documents = [s.document for s in stored]
    assert [d.briefing_version for d in documents if d] == [3, 2, 1]
    assert documents[0] is not None and documents[0].withdrawn


def test_the_district_open_requests_reach_the_briefing_and_earlier_visits_are_remembered() -> None:
    uow = FakeUnitOfWork()
    uow.requests.save(
        record_request(
            id="mr-1",
            member_id="m-021",
            member_name="성빛나",
            kind=RequestKind.REQUEST,
            district="노원구",
            text="보행로 안전 확보",
            stop_id=None,
            session="노원구 현장방문 간담회",
            department=None,
            due_date=None,
            by="대외협력팀",
            at=NOW,
        )
    )
    handle(uow, StopChange(change="scheduled", stop=stop(1)))
    handle(uow, StopChange(change="scheduled", stop=stop(1, hours_later=48, stop_id="stop-2")))

    second = handlers.briefings_for_stop(uow, "stop-2")[0].document
    assert second is not None
    local = second.section(SectionKey.LOCAL_ISSUES).items
    assert any("보행로 안전 확보" in i.text and "[접수]" in i.text for i in local)
    assert any(i.heading == "이전 시장 방문" and "stop-1" in i.origin for i in local)
