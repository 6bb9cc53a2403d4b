"""The advance notice e-mail: what a member receives per change kind, Seoul time, escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from schemas.vocabulary import SEOUL
from services.notifier.domain.feeds import feed_links
from services.notifier.domain.notices import NoticeContext, ToldRoles, compose_notice
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


LINKS = feed_links("https://dongseon.seoul.example", "m-nowon", "tok-123")
CONTEXT = NoticeContext(
    told_roles=("지역구(노원구) 시의원 2명", "시의회 지도부(중요 행사) 5명"),
    contact="시장 비서실 일정팀 02-120-0000, secretariat@seoul.example",
    feed_links=LINKS,
)


def notice_for(s: StopView, points=POINTS, context=CONTEXT):  # type: ignore[no-untyped-def]
    return compose_notice(s, RECIPIENT, points, ORGANIZER, NOW, context=context)


def test_scheduled_notice_has_subject_reasons_time_place_roles_contact_and_feed() -> None:
    notice = notice_for(stop())

    assert notice.subject == "[사전안내] 2026년 12월 1일(화) 14:00 노원구 · 송전선로 지중화 착공식"
    assert notice.recipient_id == "m-nowon"
    assert notice.to_address == "nowon@council.example"
    body = notice.text_body
    assert "강노원 의원님" in body
    assert "■ 안내 사유: 지역구(노원구) 시의원, 시의회 지도부(중요 행사)" in body
    assert "■ 목적: 노원구 특고압 송전선로 지중화 사업 착공 축하" in body
    assert "■ 분류: 착공식·기공식" in body
    assert "2026년 12월 1일(화) 14:00–15:00" in body
    assert "월계역 환승주차장 (노원구)" in body
    assert "■ 함께 안내받은 분: 지역구(노원구) 시의원 2명, 시의회 지도부(중요 행사) 5명" in body
    assert "문의: 시장 비서실 일정팀 02-120-0000, secretariat@seoul.example" in body
    assert (
        "내 일정 구독: https://dongseon.seoul.example/feeds/members/m-nowon.ics?token=tok-123"
        " / webcal://dongseon.seoul.example/feeds/members/m-nowon.ics?token=tok-123"
    ) in body
    assert body.rstrip().endswith("서울특별시 시장 비서실")
    assert CONFIDENTIAL not in body
    assert notice.ics_method == "REQUEST"


def test_the_mayors_talking_points_stay_internal() -> None:
    notice = notice_for(stop())

    for part in (notice.text_body, notice.html_body, notice.ics.decode()):
        assert "지역 숙원사업" not in part and "주민 안전과 경관" not in part
        assert "주요업무보고" not in part and "준공 목표" not in part


def test_without_a_context_the_notice_leaves_those_parts_out() -> None:
    body = notice_for(stop(), context=None).text_body

    assert "함께 안내받은 분" not in body and "문의" not in body and "구독" not in body


def test_others_told_are_counted_by_role_never_named() -> None:
    others = [
        RECIPIENT,
        Recipient(
            member=replace(MEMBER, id="m-2", name="이도봉"), reasons=("지역구(노원구) 시의원",)
        ),
        Recipient(
            member=replace(MEMBER, id="m-3", name="박의장", roles=frozenset({"chair"})),
            reasons=("중요 행사여서 시의회 지도부(의장)께 미리 초청·설명합니다.",),
        ),
        Recipient(
            member=replace(MEMBER, id="m-4", name="최의원"), reasons=("지역구(노원구) 시의원",)
        ),
    ]

    assert ToldRoles(others).besides("m-nowon") == ("지역구(노원구) 시의원 2명", "시의회 의장 1명")


def test_feed_links_are_https_and_webcal_with_the_token_quoted() -> None:
    assert feed_links("http://127.0.0.1:8000/", "m 1", "a+b") == (
        "https://127.0.0.1:8000/feeds/members/m%201.ics?token=a%2Bb",
        "webcal://127.0.0.1:8000/feeds/members/m%201.ics?token=a%2Bb",
    )


def test_html_body_links_the_feed() -> None:
    assert f'<a href="{LINKS[1]}">' in notice_for(stop()).html_body


def test_non_public_stop_is_marked_confidential_and_its_subject_hides_the_title() -> None:
    notice = notice_for(stop(public=False))

    assert CONFIDENTIAL in notice.text_body
    assert CONFIDENTIAL in notice.html_body
    assert notice.subject == "[사전안내] 2026년 12월 1일(화) 14:00 노원구 · 착공식·기공식 (비공개)"
    assert "송전선로" not in notice.subject


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

    assert notice.subject == "[일정변경] 2026년 12월 1일(화) 16:00 노원구 · 송전선로 지중화 착공식"
    assert "2026년 12월 1일(화) 14:00–15:00 → 2026년 12월 1일(화) 16:00–17:00" in notice.text_body
    assert "변경" in notice.text_body
    assert notice.ics_method == "REQUEST"
    assert Calendar.from_ical(notice.ics).events[0].sequence == 2


def test_cancelled_notice_says_so_with_its_reason_and_carries_a_cancel_invite() -> None:
    context = replace(CONTEXT, cancellation_reason="호우 경보로 현장 방문 취소")
    notice = notice_for(stop(change="cancelled", version=3), context=context)

    assert notice.subject == "[일정취소] 2026년 12월 1일(화) 14:00 노원구 · 송전선로 지중화 착공식"
    assert "■ 취소 사유: 호우 경보로 현장 방문 취소" in notice.text_body
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

    assert "2026년 12월 1일(화) 14:00" in notice.subject
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
