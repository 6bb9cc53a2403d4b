"""Settings every service shares; each service subclasses it with its own env prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.envelope import DEFAULT_OFFICE, OFFICE_ID_PATTERN


class RuntimeSettings(BaseSettings):
    """Infrastructure settings. Defaults run the embedded stack on one machine."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    office_id: str = Field(
        default=DEFAULT_OFFICE,
        pattern=OFFICE_ID_PATTERN,
        validation_alias=AliasChoices("DONGSEON_OFFICE_ID", "office_id"),
        description="The office (city government) this deployment serves; in every event and key.",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
        description="Kafka bootstrap servers; unset means the embedded Tansu broker.",
    )
    kafka_enable_idempotence: bool = Field(
        default=False,
        validation_alias=AliasChoices("KAFKA_ENABLE_IDEMPOTENCE", "kafka_enable_idempotence"),
        description="Idempotent producer; Tansu refuses it, Apache Kafka supports it.",
    )
    kafka_request_timeout_ms: int = Field(
        default=30_000,
        ge=1000,
        validation_alias=AliasChoices("KAFKA_REQUEST_TIMEOUT_MS", "kafka_request_timeout_ms"),
        description="How long a publish may wait for the broker before the outbox retries it.",
    )
    kafka_session_timeout_ms: int = Field(
        default=10_000,
        ge=1000,
        validation_alias=AliasChoices("KAFKA_SESSION_TIMEOUT_MS", "kafka_session_timeout_ms"),
        description="Consumer group session timeout. A group (re)forms in a fraction of it on "
        "Tansu, so one-member groups on one machine (the tests) can use a short one.",
    )
    kafka_heartbeat_interval_ms: int = Field(
        default=3_000,
        ge=100,
        validation_alias=AliasChoices("KAFKA_HEARTBEAT_INTERVAL_MS", "kafka_heartbeat_interval_ms"),
        description="Consumer heartbeat interval; keep it under a third of the session timeout.",
    )
    kafka_topic_replication_factor: int = Field(
        default=1,
        ge=1,
        validation_alias=AliasChoices(
            "KAFKA_TOPIC_REPLICATION_FACTOR", "kafka_topic_replication_factor"
        ),
        description="Replication factor for topics the services create if missing.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
        description="SQLAlchemy URL; unset means a SQLite file per service in the data dir.",
    )
    data_dir: Path = Field(
        default=Path("data"),
        validation_alias=AliasChoices("DONGSEON_DATA_DIR", "data_dir"),
    )
    log_level: str = Field(
        default="INFO", validation_alias=AliasChoices("DONGSEON_LOG_LEVEL", "log_level")
    )
    outbox_poll_seconds: float = Field(
        default=1.0,
        validation_alias=AliasChoices("DONGSEON_OUTBOX_POLL_SECONDS", "outbox_poll_seconds"),
    )
    consumer_max_attempts: int = Field(
        default=5,
        validation_alias=AliasChoices("DONGSEON_CONSUMER_MAX_ATTEMPTS", "consumer_max_attempts"),
        description="Handler failures before a message is parked on the dead-letter topic.",
    )

    def database_url_for(self, service: str) -> str:
        """The service's database: the shared URL, or its own SQLite file."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / f'{service}.db').resolve()}"
