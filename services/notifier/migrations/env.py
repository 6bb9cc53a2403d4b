"""Alembic environment for the notifier's tables."""

from sqlmodel import SQLModel

from services.common.migrations_env import run_migrations
from services.notifier.adapters import member_letters_orm, orm  # noqa: F401  (their tables)

run_migrations(SQLModel.metadata, orm.TABLE_PREFIX)
