"""Create the system's topics on whatever Kafka-protocol broker we are given."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from schemas.topics import Topic, all_topics

log = logging.getLogger(__name__)


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[Topic] | None = None, replication_factor: int = 1
) -> list[str]:
    """Create the missing topics; return the names created."""
    wanted = list(topics if topics is not None else all_topics())
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t.name not in existing]
        if missing:
            try:
                await admin.create_topics(
                    [NewTopic(t.name, t.partitions, replication_factor) for t in missing]
                )
            except TopicAlreadyExistsError:
                log.info("topics created concurrently by another process")
        return [t.name for t in missing]
    finally:
        await admin.close()
