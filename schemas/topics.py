"""Topic names in one place, with what each carries and how its messages are keyed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int
    description: str


ITINERARY = Topic(
    "dongseon.scheduler.itinerary.v1",
    3,
    "Confirmed itinerary versions with per-stop changes; keyed by `{office}/{plan date}`.",
)
BRIEFINGS = Topic(
    "dongseon.briefing.briefings.v1",
    3,
    "Talking points ready for a stop version; keyed by `{office}/{stop id}`.",
)
NOTICES = Topic(
    "dongseon.notifier.notices.v1",
    3,
    "Outcome of each advance notice (sent or failed); keyed by `{office}/{stop id}`.",
)

MEMBER_REQUESTS = Topic(
    "dongseon.briefing.member-requests.v1",
    3,
    "Council members' requests and questions, recorded, updated and answered; keyed by "
    "`{office}/{request id}`.",
)

EVENT_TOPICS: tuple[Topic, ...] = (ITINERARY, BRIEFINGS, NOTICES, MEMBER_REQUESTS)


def dead_letter_topic(consumer_group: str) -> Topic:
    """Where a consumer group parks messages it cannot process."""
    return Topic(
        f"dongseon.deadletter.{consumer_group}",
        1,
        f"Messages consumer group `{consumer_group}` could not process, with the reason.",
    )


CONSUMER_GROUPS: tuple[str, ...] = ("briefing", "notifier")


def all_topics() -> tuple[Topic, ...]:
    """Every topic the system needs, dead-letter topics included."""
    return EVENT_TOPICS + tuple(dead_letter_topic(group) for group in CONSUMER_GROUPS)
