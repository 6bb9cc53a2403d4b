"""iCalendar output (RFC 5545, RFC 7986): one invite per notice (iTIP REQUEST/CANCEL) and
subscribable feeds.

Times are written in Asia/Seoul with its VTIMEZONE. A feed's DTSTAMP and LAST-MODIFIED
are the stop's stored change time, never the time of the request, so an unchanged feed is
the same bytes on every request; SEQUENCE is the stop's version and rises on every change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache

from icalendar import Calendar, Event, Timezone, vCalAddress
from icalendar.enums import CLASS, STATUS
from icalendar.parser import Contentline

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_TIMEZONE_NAME
from services.notifier.domain.feeds import FeedWindow
from services.notifier.domain.stops import StopView, in_seoul

PRODID = "-//Dongseon//동선//KO"
SENDER_NAME = "서울특별시 시장 비서실"
REFRESH = timedelta(minutes=15)
CONFIDENTIAL_NOTE = "본 일정은 비공개입니다. 외부 공유를 삼가 주시기 바랍니다."


class Audience(StrEnum):
    """Who a feed is for; decides what it may show."""

    INTERNAL = "internal"
    MEMBER = "member"
    PUBLIC = "public"

    @property
    def color(self) -> str:
        """The feed's RFC 7986 COLOR (a CSS3 colour name)."""
        return COLORS[self]


COLORS = {Audience.INTERNAL: "crimson", Audience.MEMBER: "steelblue", Audience.PUBLIC: "seagreen"}


class IcsMethod(StrEnum):
    """The iTIP method of an invite: a new or moved stop, or a cancelled one."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@cache
def seoul_timezone() -> Timezone:
    """The Asia/Seoul VTIMEZONE (KST, no daylight saving since 1988), built once: deriving
    it takes tens of milliseconds, and every invite and feed carries it."""
    return Timezone.from_tzid(SEOUL_TIMEZONE_NAME, first_date=date(2000, 1, 1))


def invite_method(stop: StopView) -> IcsMethod:
    """CANCEL for a cancelled stop, else REQUEST."""
    return IcsMethod.CANCEL if stop.cancelled else IcsMethod.REQUEST


def stop_uid(stop_id: str) -> str:
    """The iCalendar UID of a stop: the same in every invite and feed, for every version."""
    return f"{stop_id}@dongseon.seoul.go.kr"


def full_location(stop: StopView) -> str:
    """The exact place, with its district."""
    return f"{stop.place_name} ({stop.district})"


def vague_location(stop: StopView) -> str:
    """Only the district, for public listings of stops that have not happened yet."""
    return OUTSIDE_SEOUL if stop.district == OUTSIDE_SEOUL else f"{stop.district} 일대"


def full_description(stop: StopView) -> str:
    """Purpose and category, with the confidentiality note for non-public stops."""
    lines = [f"목적: {stop.purpose}", f"분류: {stop.category_label}"]
    if not stop.public:
        lines.append(CONFIDENTIAL_NOTE)
    return "\n".join(lines)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _event(stop: StopView, changed: datetime, *, location: str, description: str) -> Event:
    return Event.new(
        uid=stop_uid(stop.stop_id),
        sequence=stop.version,
        stamp=_utc(changed),
        last_modified=_utc(changed),
        start=in_seoul(stop.starts_at),
        end=in_seoul(stop.ends_at),
        summary=stop.title,
        location=location,
        description=description,
        status=STATUS.CANCELLED if stop.cancelled else STATUS.CONFIRMED,
        classification=CLASS.PUBLIC if stop.public else CLASS.CONFIDENTIAL,
    )


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def render_invite(
    stop: StopView, organizer_email: str, attendee_email: str, attendee_name: str, now: datetime
) -> bytes:
    """An iTIP invite for one member: REQUEST, or CANCEL with STATUS:CANCELLED.

    The invite without its attendee is rendered once per stop and instant (every member
    of a stop gets the same one), then the member's ATTENDEE line is added, folded."""
    head, tail = _invite_without_attendee(stop, organizer_email, now)
    attendee = vCalAddress.new(
        f"mailto:{attendee_email}",
        cn=attendee_name,
        role="OPT-PARTICIPANT",
        partstat="NEEDS-ACTION",
        rsvp=False,
    )
    line = Contentline.from_parts("ATTENDEE", attendee.params, attendee).to_ical()
    return head + line + b"\r\n" + tail


@lru_cache(maxsize=256)
def _invite_without_attendee(
    stop: StopView, organizer_email: str, now: datetime
) -> tuple[bytes, bytes]:
    """The invite split where the attendee goes (just before END:VEVENT)."""
    calendar = _calendar(invite_method(stop))
    event = _event(stop, now, location=full_location(stop), description=full_description(stop))
    event.organizer = vCalAddress.new(f"mailto:{organizer_email}", cn=SENDER_NAME)
    calendar.add_component(event)
    calendar.add_component(seoul_timezone())
    head, end, tail = calendar.to_ical().partition(b"END:VEVENT\r\n")
    return head, end + tail


def _feed_event(stop: StopView, changed: datetime, audience: Audience, now: datetime) -> Event:
    if audience is Audience.PUBLIC and stop.ends_at > now:
        return _event(stop, changed, location=vague_location(stop), description=stop.category_label)
    if audience is Audience.PUBLIC:  # shown in full from its end on: changed then
        return _event(
            stop,
            max(changed, stop.ends_at),
            location=full_location(stop),
            description=f"목적: {stop.purpose}\n분류: {stop.category_label}",
        )
    return _event(stop, changed, location=full_location(stop), description=full_description(stop))


def render_feed(name: str, window: FeedWindow, audience: Audience | str, now: datetime) -> bytes:
    """A subscribable feed of the window's stops. ``public`` shows, until a stop has ended,
    only its district (the caller leaves non-public stops out); ``internal`` and ``member``
    show the stops in full. Cancelled stops stay as STATUS:CANCELLED for a while, so
    subscribers' clients remove them. Named (NAME, X-WR-CALNAME), coloured (COLOR), with a
    refresh interval (REFRESH-INTERVAL, X-PUBLISHED-TTL) and the Asia/Seoul VTIMEZONE."""
    if audience not in Audience.__members__.values():
        raise ValueError(f"unknown audience {audience!r}; expected one of {', '.join(Audience)}")
    audience = Audience(audience)
    calendar = _calendar("PUBLISH")
    calendar.calendar_name = name
    calendar.color = audience.color
    calendar.add("x-wr-timezone", SEOUL_TIMEZONE_NAME)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")
    for entry in window.entries:
        if audience is Audience.PUBLIC and not entry.stop.public:
            continue  # never, whatever the caller passed
        calendar.add_component(_feed_event(entry.stop, entry.changed, audience, now))
    calendar.add_component(seoul_timezone())
    return calendar.to_ical()
