"""The lifecycle every service shares, so one runner can host any of them."""

from __future__ import annotations

from typing import Protocol


class Service(Protocol):
    """Built without I/O by its composition root; then migrated, started, stopped.

    Start order is broker, outbox relay, other background loops; stop is the reverse,
    then the database engine is released.
    """

    def migrate(self) -> None:
        """Bring the service's database schema to the latest revision."""

    async def start(self) -> None:
        """Connect to the broker and start the service's background loops."""

    async def stop(self) -> None:
        """Stop the loops, then the broker, then release the database."""
