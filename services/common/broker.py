"""The Kafka broker client every service builds the same way."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from services.common.settings import RuntimeSettings


def make_broker(settings: RuntimeSettings, bootstrap_servers: str, client_id: str) -> KafkaBroker:
    """A FastStream Kafka broker; idempotence only where the broker supports it."""
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        enable_idempotence=settings.kafka_enable_idempotence,
        acks="all" if settings.kafka_enable_idempotence else 1,
        request_timeout_ms=settings.kafka_request_timeout_ms,
        graceful_timeout=10.0,
    )
