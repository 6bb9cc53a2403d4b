"""iCalendar output: one invite per notice (iTIP REQUEST/CANCEL) and subscribable feeds.

Times are written in UTC (``...Z``) everywhere, so no VTIMEZONE is needed; calendar apps
show them in the subscriber's zone and the feed advertises Asia/Seoul as its home zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import CLASS, STATUS

from schemas.vocabulary import OUTSIDE_SEOUL, SEOUL_TIMEZONE_NAME
from services.notifier.domain.stops import StopView

PRODID = "-//Dongseon//동선//KO"
SENDER_NAME = "서울특별시 시장 비서실"
REFRESH = timedelta(minutes=15)
CONFIDENTIAL_NOTE = "본 일정은 비공개입니다. 외부 공유를 삼가 주시기 바랍니다."


class Audience(StrEnum):
    """Who a feed is for; decides what it may show."""

    INTERNAL = "internal"
    MEMBER = "member"
    PUBLIC = "public"


class IcsMethod(StrEnum):
    """The iTIP method of an invite: a new or moved stop, or a cancelled one."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


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


def _event(stop: StopView, now: datetime, *, location: str, description: str) -> Event:
    return Event.new(
        uid=stop_uid(stop.stop_id),
        sequence=stop.version,
        stamp=_utc(now),
        last_modified=_utc(now),
        start=_utc(stop.starts_at),
        end=_utc(stop.ends_at),
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
    """An iTIP invite for one member: REQUEST, or CANCEL with STATUS:CANCELLED."""
    calendar = _calendar(invite_method(stop))
    event = _event(stop, now, location=full_location(stop), description=full_description(stop))
    event.organizer = vCalAddress.new(f"mailto:{organizer_email}", cn=SENDER_NAME)
    event.attendees = [
        vCalAddress.new(
            f"mailto:{attendee_email}",
            cn=attendee_name,
            role="OPT-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp=False,
        )
    ]
    calendar.add_component(event)
    return calendar.to_ical()


def _feed_event(stop: StopView, audience: Audience, now: datetime) -> Event:
    if audience is Audience.PUBLIC and stop.ends_at > now:
        return _event(stop, now, location=vague_location(stop), description=stop.category_label)
    if audience is Audience.PUBLIC:
        return _event(
            stop,
            now,
            location=full_location(stop),
            description=f"목적: {stop.purpose}\n분류: {stop.category_label}",
        )
    return _event(stop, now, location=full_location(stop), description=full_description(stop))


def render_feed(
    name: str, stops: Sequence[StopView], audience: Audience | str, now: datetime
) -> bytes:
    """A subscribable feed. ``public`` lists only public stops and, until a stop has ended,
    shows only its district; ``internal`` and ``member`` show the given stops in full.
    Cancelled stops stay in the feed as STATUS:CANCELLED so subscribers drop them."""
    if audience not in Audience.__members__.values():
        raise ValueError(f"unknown audience {audience!r}; expected one of {', '.join(Audience)}")
    audience = Audience(audience)
    calendar = _calendar("PUBLISH")
    calendar.calendar_name = name
    calendar.add("x-wr-timezone", SEOUL_TIMEZONE_NAME)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")
    chosen = [s for s in stops if audience is not Audience.PUBLIC or s.public]
    for stop in sorted(chosen, key=lambda s: (s.starts_at, s.stop_id)):
        calendar.add_component(_feed_event(stop, audience, now))
    return calendar.to_ical()
