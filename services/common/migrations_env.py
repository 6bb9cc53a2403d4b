"""The body of every service's Alembic env.py: its own tables, its own version table."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData


def run_migrations(target_metadata: MetaData, table_prefix: str) -> None:
    """Migrate only the tables whose names start with the service's prefix."""
    config = context.config
    connection = config.attributes["connection"]
    version_table = config.attributes.get("version_table", f"{table_prefix}alembic_version")

    def include_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        if type_ == "table":
            return bool(name and name.startswith(table_prefix))
        return True

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=version_table,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
