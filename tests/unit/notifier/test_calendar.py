"""iCalendar output: invites parse back with their iTIP method; feeds hide what they must,
are the same bytes until something changes, and read back in an independent parser."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from services.notifier.domain import calendar as ical
from services.notifier.domain.calendar import render_invite, stop_uid
from services.notifier.domain.feeds import (
    CANCELLED_KEPT,
    MAX_EVENTS,
    PAST,
    FeedEntry,
    feed_window,
)
from services.notifier.domain.stops import StopView

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
CHANGED = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # when the plan was confirmed
ORGANIZER = "schedule@seoul.example"


def render_feed(
    name: str, stops: list[StopView], audience: str, now: datetime, changed: datetime = CHANGED
) -> bytes:
    entries = [FeedEntry(s, changed) for s in stops]
    window = feed_window(entries, now, public=audience == "public")
    return ical.render_feed(name, window, audience, now)


def stop(**overrides: object) -> StopView:
    starts_at = overrides.pop("starts_at", NOW + timedelta(hours=2))
    fields: dict[str, object] = dict(
        stop_id="s-nowon",
        version=1,
        title="송전선로 지중화 착공식",
        purpose="노원구 특고압 송전선로 지중화 사업 착공 축하",
        category="groundbreaking",
        policy_area=None,
        place_name="월계역 환승주차장",
        district="노원구",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),  # type: ignore[operator]
        public=True,
        important=False,
        change="scheduled",
    )
    fields.update(overrides)
    return StopView(**fields)  # type: ignore[arg-type]


FUTURE_PUBLIC = stop()
PAST_PUBLIC = stop(
    stop_id="s-market",
    title="전통시장 민생 현장방문",
    purpose="고물가 상인 애로 청취",
    category="livelihood",
    place_name="망원시장",
    district="마포구",
    starts_at=NOW - timedelta(hours=3),
)
PRIVATE = stop(
    stop_id="s-shelter",
    title="쪽방촌 비공개 점검",
    purpose="한파 대비 취약계층 점검",
    category="vulnerable_groups",
    place_name="동자동 쪽방상담소",
    district="용산구",
    public=False,
    starts_at=NOW + timedelta(hours=5),
)
CANCELLED = stop(
    stop_id="s-tram",
    title="위례트램 착공식",
    place_name="위례중앙광장",
    district="송파구",
    change="cancelled",
    version=2,
    starts_at=NOW + timedelta(days=1),
)
ALL = [PAST_PUBLIC, FUTURE_PUBLIC, PRIVATE, CANCELLED]


def events_by_uid(ics: bytes) -> dict[str, object]:
    return {str(e.uid): e for e in Calendar.from_ical(ics).events}


def test_stop_uid_is_stable_and_namespaced() -> None:
    assert stop_uid("s-nowon") == "s-nowon@dongseon.seoul.go.kr"


def test_invite_parses_back_with_method_uid_sequence_and_attendee() -> None:
    ics = render_invite(
        replace(FUTURE_PUBLIC, version=4), ORGANIZER, "kim@council.example", "김의원", NOW
    )

    calendar = Calendar.from_ical(ics)
    assert calendar.get("METHOD") == "REQUEST"
    [event] = calendar.events
    assert event.uid == "s-nowon@dongseon.seoul.go.kr"
    assert event.sequence == 4
    assert [str(a) for a in event.attendees] == ["mailto:kim@council.example"]
    assert event.attendees[0].params["CN"] == "김의원"
    assert str(event.organizer) == f"mailto:{ORGANIZER}"
    assert event.start == FUTURE_PUBLIC.starts_at and event.end == FUTURE_PUBLIC.ends_at
    assert event.DTSTAMP == NOW
    assert event.get("SUMMARY") == "송전선로 지중화 착공식"
    assert event.get("LOCATION") == "월계역 환승주차장 (노원구)"
    assert "착공 축하" in event.get("DESCRIPTION")
    assert event.get("STATUS") == "CONFIRMED"


def test_invite_for_a_cancelled_stop_is_a_cancel() -> None:
    ics = render_invite(CANCELLED, ORGANIZER, "kim@council.example", "김의원", NOW)

    calendar = Calendar.from_ical(ics)
    assert calendar.get("METHOD") == "CANCEL"
    [event] = calendar.events
    assert event.get("STATUS") == "CANCELLED"
    assert event.uid == stop_uid("s-tram")
    assert event.sequence == 2


def test_feed_carries_calendar_properties() -> None:
    calendar = Calendar.from_ical(render_feed("서울시장 일정", ALL, "internal", NOW))

    assert calendar.get("X-WR-CALNAME") == "서울시장 일정"
    assert calendar.get("X-WR-TIMEZONE") == "Asia/Seoul"
    assert calendar.get("PRODID") == "-//Dongseon//동선//KO"
    assert calendar.get("METHOD") == "PUBLISH"
    assert calendar.refresh_interval == timedelta(minutes=15)
    assert calendar.get("X-PUBLISHED-TTL") == "PT15M"
    assert calendar.get("NAME") == "서울시장 일정"
    assert calendar.get("COLOR") == "crimson"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone.get("TZID") == "Asia/Seoul"
    assert b"DTSTART;TZID=Asia/Seoul:20261201T140000" in calendar.to_ical()


def test_an_unchanged_feed_is_byte_identical_whenever_it_is_asked_for() -> None:
    first = render_feed("내부", ALL, "internal", NOW)
    later = render_feed("내부", ALL, "internal", NOW + timedelta(minutes=7))

    assert first == later
    assert b"\r\n" in first and b"\n" not in first.replace(b"\r\n", b"")


def test_the_public_feed_changes_when_a_stop_ends_and_says_so_in_last_modified() -> None:
    entries = [FeedEntry(s, CHANGED) for s in ALL if s.public]
    before = feed_window(entries, NOW, public=True)
    assert before.valid_until == FUTURE_PUBLIC.ends_at, "cacheable until the next stop ends"
    after = feed_window(entries, FUTURE_PUBLIC.ends_at, public=True)

    assert after.last_modified == FUTURE_PUBLIC.ends_at
    assert before.last_modified == PAST_PUBLIC.ends_at


def test_the_horizon_drops_old_stops_and_expired_cancellations_and_caps_the_size() -> None:
    old = stop(stop_id="s-old", starts_at=NOW - PAST - timedelta(days=1))
    gone = replace(CANCELLED, stop_id="s-gone")
    entries = [
        FeedEntry(old, CHANGED),
        FeedEntry(CANCELLED, NOW - timedelta(days=1)),
        FeedEntry(gone, NOW - CANCELLED_KEPT - timedelta(days=1)),
    ]

    window = feed_window(entries, NOW)

    assert [e.stop.stop_id for e in window.entries] == ["s-tram"]
    assert window.last_modified == old.ends_at + PAST, "a stop leaving is a change too"

    many = [
        FeedEntry(stop(stop_id=f"s-{i}", starts_at=NOW + timedelta(hours=i)), CHANGED)
        for i in range(MAX_EVENTS + 500)
    ]
    capped = feed_window(many, NOW).entries
    assert len(capped) == MAX_EVENTS and capped[-1].stop.stop_id == f"s-{MAX_EVENTS - 1}"
    sample = [
        replace(e.stop, title="현장방문 " * 8, purpose="상인 애로 청취 " * 8) for e in capped[:40]
    ]
    per_event = len(render_feed("내부", sample, "internal", NOW)) / len(sample)
    assert per_event * MAX_EVENTS < 1_000_000, "a full feed stays under 1 MB"


def test_feeds_and_invites_read_back_in_an_independent_parser() -> None:
    feed = vobject.readOne(render_feed("내부", ALL, "internal", NOW).decode("utf-8"))
    by_uid = {e.uid.value: e for e in feed.vevent_list}

    assert set(by_uid) == {stop_uid(s.stop_id) for s in ALL}
    tram = by_uid[stop_uid("s-tram")]
    assert (tram.status.value, tram.sequence.value) == ("CANCELLED", "2")
    nowon = by_uid[stop_uid("s-nowon")]
    assert nowon.dtstart.value == FUTURE_PUBLIC.starts_at
    assert nowon.dtstart.value.utcoffset() == timedelta(hours=9), "Seoul wall time"
    assert nowon.dtstamp.value == CHANGED
    assert feed.x_wr_calname.value == "내부"

    invite = vobject.readOne(
        render_invite(CANCELLED, ORGANIZER, "kim@council.example", "김의원", NOW).decode("utf-8")
    )
    assert invite.method.value == "CANCEL"
    assert invite.vevent.uid.value == stop_uid("s-tram")
    assert invite.vevent.attendee.value == "mailto:kim@council.example"


def test_internal_feed_shows_every_stop_in_full_and_keeps_cancelled_ones() -> None:
    events = events_by_uid(render_feed("내부", ALL, "internal", NOW))

    assert set(events) == {stop_uid(s.stop_id) for s in ALL}
    private = events[stop_uid("s-shelter")]
    assert private.get("LOCATION") == "동자동 쪽방상담소 (용산구)"
    assert "한파 대비" in private.get("DESCRIPTION")
    assert private.get("CLASS") == "CONFIDENTIAL"
    assert events[stop_uid("s-tram")].get("STATUS") == "CANCELLED"
    assert events[stop_uid("s-tram")].sequence == 2
    for event in events.values():
        assert event.DTSTAMP == CHANGED, "the stored change time, not the request's"
        assert event.LAST_MODIFIED == CHANGED


def test_member_feed_shows_the_given_stops_like_internal() -> None:
    events = events_by_uid(render_feed("강노원 의원", [PRIVATE], "member", NOW))

    assert events[stop_uid("s-shelter")].get("LOCATION") == "동자동 쪽방상담소 (용산구)"


def test_public_feed_never_contains_a_non_public_stop() -> None:
    ics = render_feed("서울시장 공개 일정", ALL, "public", NOW)

    assert stop_uid("s-shelter") not in events_by_uid(ics)
    text = ics.decode()
    for secret in ("쪽방", "동자동", "한파"):
        assert secret not in text


def test_public_feed_hides_the_place_of_a_future_stop_but_shows_a_past_one() -> None:
    ics = render_feed("서울시장 공개 일정", ALL, "public", NOW)
    events = events_by_uid(ics)

    future = events[stop_uid("s-nowon")]
    assert future.get("LOCATION") == "노원구 일대"
    assert future.get("DESCRIPTION") == "착공식·기공식"
    assert "월계역" not in ics.decode()
    assert "착공 축하" not in ics.decode()

    past = events[stop_uid("s-market")]
    assert past.get("LOCATION") == "망원시장 (마포구)"
    assert "고물가" in past.get("DESCRIPTION")

    assert events[stop_uid("s-tram")].get("STATUS") == "CANCELLED"


def test_a_stop_under_way_is_still_hidden_until_it_ends() -> None:
    under_way = stop(starts_at=NOW - timedelta(minutes=30))

    [event] = Calendar.from_ical(render_feed("공개", [under_way], "public", NOW)).events

    assert event.get("LOCATION") == "노원구 일대"


def test_uids_are_stable_across_renders_and_versions() -> None:
    first = render_feed("내부", ALL, "internal", NOW)
    again = render_feed("내부", ALL, "internal", NOW)
    moved = [
        replace(
            s,
            version=s.version + 1,
            starts_at=s.starts_at + timedelta(hours=1),
            ends_at=s.ends_at + timedelta(hours=1),
        )
        for s in ALL
    ]
    later = render_feed("내부", list(reversed(moved)), "internal", NOW + timedelta(hours=1))

    assert first == again, "the same input renders byte for byte the same"
    assert set(events_by_uid(first)) == set(events_by_uid(later))
    assert events_by_uid(later)[stop_uid("s-nowon")].sequence == 2


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="audience"):
        render_feed("x", ALL, "press", NOW)
