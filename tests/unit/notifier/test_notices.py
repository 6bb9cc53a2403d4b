"""The advance notice e-mail: subject and body per change kind, Seoul time, HTML escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from schemas.vocabulary import SEOUL
from services.notifier.domain.notices import compose_notice
from services.notifier.domain.recipients import CouncilMember, Recipient
from services.notifier.domain.stops import StopView, TalkingPointView

NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 14:00 in Seoul, a Tuesday
ORGANIZER = "schedule@seoul.example"
CONFIDENTIAL = "본 일정은 비공개입니다. 외부 공유를 삼가 주시기 바랍니다."

MEMBER = CouncilMember(
    id="m-nowon",
    name="강노원",
    email="nowon@council.example",
    district="노원구",
    committees=frozenset({"교통위원회"}),
    roles=frozenset(),
    caucus="가당",
)
RECIPIENT = Recipient(member=MEMBER, reasons=("지역구(노원구) 시의원", "시의회 지도부(중요 행사)"))
POINTS = [
    TalkingPointView(
        heading="지역 숙원사업 해결",
        text="송전선로를 지하로 옮겨 주민 안전과 경관을 개선합니다.",
        citation="서울시장 비서실 주요업무보고 (2023-04-19), Ⅱ-1 현장방문",
    ),
    TalkingPointView(heading="향후 일정", text="준공 목표 & 주민 설명회", citation=None),
]


def stop(**overrides: object) -> StopView:
    fields: dict[str, object] = dict(
        stop_id="s-1",
        version=1,
        title="송전선로 지중화 착공식",
        purpose="노원구 특고압 송전선로 지중화 사업 착공 축하",
        category="groundbreaking",
        policy_area=None,
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        public=True,
        important=True,
        change="scheduled",
    )
    fields.update(overrides)
    return StopView(**fields)  # type: ignore[arg-type]


def notice_for(s: StopView, points=POINTS):  # type: ignore[no-untyped-def]
    return compose_notice(s, RECIPIENT, points, ORGANIZER, NOW)


def test_scheduled_notice_has_subject_reasons_time_place_and_cited_points() -> None:
    notice = notice_for(stop())

    assert notice.subject == "[사전안내] 12/1(화) 14:00 노원구 · 송전선로 지중화 착공식"
    assert notice.recipient_id == "m-nowon"
    assert notice.to_address == "nowon@council.example"
    body = notice.text_body
    assert "강노원 의원님" in body
    assert "지역구(노원구) 시의원, 시의회 지도부(중요 행사)" in body
    assert "노원구 특고압 송전선로 지중화 사업 착공 축하" in body
    assert "2026년 12월 1일(화) 14:00–15:00" in body
    assert "월계역 환승주차장 (노원구)" in body
    assert "지역 숙원사업 해결" in body and "주민 안전과 경관" in body
    assert "(출처: 서울시장 비서실 주요업무보고 (2023-04-19), Ⅱ-1 현장방문)" in body
    assert body.rstrip().endswith("서울특별시 시장 비서실")
    assert CONFIDENTIAL not in body
    assert notice.ics_method == "REQUEST"


def test_non_public_stop_is_marked_confidential_in_both_bodies() -> None:
    notice = notice_for(stop(public=False))

    assert CONFIDENTIAL in notice.text_body
    assert CONFIDENTIAL in notice.html_body


def test_rescheduled_notice_shows_old_and_new_time() -> None:
    moved = stop(
        change="rescheduled",
        version=2,
        starts_at=START + timedelta(hours=2),
        ends_at=START + timedelta(hours=3),
        previous_starts_at=START,
        previous_ends_at=START + timedelta(hours=1),
    )

    notice = notice_for(moved)

    assert notice.subject == "[일정변경] 12/1(화) 16:00 노원구 · 송전선로 지중화 착공식"
    assert "2026년 12월 1일(화) 14:00–15:00 → 2026년 12월 1일(화) 16:00–17:00" in notice.text_body
    assert "변경" in notice.text_body
    assert notice.ics_method == "REQUEST"
    assert Calendar.from_ical(notice.ics).events[0].sequence == 2


def test_cancelled_notice_says_so_and_carries_a_cancel_invite() -> None:
    notice = notice_for(stop(change="cancelled", version=3))

    assert notice.subject == "[일정취소] 12/1(화) 14:00 노원구 · 송전선로 지중화 착공식"
    assert "취소" in notice.text_body
    assert "지역 숙원사업 해결" not in notice.text_body
    assert notice.ics_method == "CANCEL"
    assert Calendar.from_ical(notice.ics).get("METHOD") == "CANCEL"


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(2026, 12, 1, 14, 0, tzinfo=SEOUL),
        datetime(2026, 12, 1, 5, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 21, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
    ],
)
def test_times_are_shown_in_seoul_whatever_the_input_zone(starts_at: datetime) -> None:
    notice = notice_for(stop(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)))

    assert "12/1(화) 14:00" in notice.subject
    assert "2026년 12월 1일(화) 14:00–15:00" in notice.text_body
    assert "05:00" not in notice.text_body and "21:00" not in notice.text_body


def test_stop_crossing_midnight_in_seoul_shows_both_days() -> None:
    late = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # 23:30 in Seoul

    notice = notice_for(stop(starts_at=late, ends_at=late + timedelta(hours=1)))

    assert "2026년 12월 1일(화) 23:30 – 2026년 12월 2일(수) 00:30" in notice.text_body


def test_html_body_escapes_everything_it_shows() -> None:
    notice = notice_for(stop(title="<b>긴급</b> 현장점검", purpose="a < b & c"))

    html_body = notice.html_body
    assert "<b>긴급</b>" not in html_body
    assert "&lt;b&gt;긴급&lt;/b&gt; 현장점검" in html_body
    assert "a &lt; b &amp; c" in html_body
    assert "준공 목표 &amp; 주민 설명회" in html_body
    assert "강노원 의원님" in html_body
    assert "서울특별시 시장 비서실" in html_body
    assert "2026년 12월 1일(화) 14:00–15:00" in html_body
    assert "<b>긴급</b> 현장점검" in notice.text_body, "the plain text is not escaped"


def test_notice_invite_is_addressed_to_the_member() -> None:
    event = Calendar.from_ical(notice_for(stop()).ics).events[0]

    assert [str(a) for a in event.attendees] == ["mailto:nowon@council.example"]
    assert str(event.organizer) == f"mailto:{ORGANIZER}"


def test_stop_view_refuses_naive_times_and_unknown_changes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        stop(starts_at=datetime(2026, 12, 1, 14, 0))
    with pytest.raises(ValueError, match="unknown change"):
        stop(change="postponed")


def test_html_body_escapes_the_member_name() -> None:
    odd = Recipient(member=replace(MEMBER, name="<홍길동>"), reasons=("지역구(노원구) 시의원",))

    notice = compose_notice(stop(), odd, POINTS, ORGANIZER, NOW)

    assert "&lt;홍길동&gt; 의원님" in notice.html_body
    assert "<홍길동>" not in notice.html_body
