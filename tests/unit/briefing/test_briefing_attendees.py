"""A stop's named attendees pass through `briefing.ready` and are named in its 참석 item."""

from __future__ import annotations

import briefing_fakes as fakes
from test_briefing_handlers import NOW, confirmed, snapshot

from schemas.briefing import BriefingReady
from schemas.scheduler import StopChange, StopSnapshot
from services.briefing import handlers
from services.briefing.domain.briefing_doc import BriefingDocument, SectionKey
from services.briefing.domain.council import CouncilDirectory, CouncilMember

COUNCIL = CouncilDirectory.of(
    [
        CouncilMember("m-001", "강새벽", "종로구", roles=("chair",)),
        CouncilMember("m-002", "윤바다", "노원구", committees=("보건복지위원회",)),
    ]
)


def meeting(version: int = 1, attendee_ids: tuple[str, ...] = ("m-001", "m-002")) -> StopSnapshot:
    return snapshot(version).model_copy(update={"attendee_ids": list(attendee_ids)})


def brief(*changes: StopChange) -> tuple[BriefingReady, BriefingDocument]:
    uow = fakes.FakeUnitOfWork()
    handlers.when_itinerary_confirmed_build_briefings(
        uow, confirmed(*changes), now=NOW, council=COUNCIL
    )
    [ready] = uow.published
    document = uow.repo.stored[-1].document
    assert document is not None
    return ready.payload, document


def attendance(document: BriefingDocument) -> str:
    overview = next(s for s in document.sections if s.key is SectionKey.OVERVIEW)
    return next(i.text for i in overview.items if i.heading == "참석")


def test_briefing_ready_passes_the_attendees_through() -> None:
    payload, _ = brief(StopChange(change="scheduled", stop=meeting()))

    assert payload.stop.attendee_ids == ["m-001", "m-002"]


def test_the_attendance_item_names_the_attendees_from_the_roster() -> None:
    _, document = brief(StopChange(change="scheduled", stop=meeting(attendee_ids=("m-001", "m-9"))))

    text = attendance(document)

    assert text.startswith("참석 대상 시의원: 강새벽 의원(의장), 명단에 없는 의원(m-9); ")
    assert "노원구 지역 시의원: 윤바다 의원(보건복지위원회)" in text, "the district's, as before"


def test_without_attendees_the_item_and_the_event_name_none() -> None:
    payload, document = brief(StopChange(change="scheduled", stop=snapshot()))

    assert payload.stop.attendee_ids == []
    assert "참석 대상 시의원" not in attendance(document)


def test_a_change_of_attendees_is_listed_among_the_changes() -> None:
    widened = meeting(2, ("m-001", "m-002", "m-003"))

    payload, _ = brief(StopChange(change="rescheduled", stop=widened, previous=meeting()))

    assert payload.previous is not None and payload.previous.attendee_ids == ["m-001", "m-002"]
    assert "참석 대상 시의원: m-001, m-002 → m-001, m-002, m-003" in payload.changes_since_last
