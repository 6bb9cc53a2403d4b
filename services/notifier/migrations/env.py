"""Alembic environment for the notifier's tables."""

from sqlmodel import SQLModel

from services.common.migrations_env import run_migrations
from services.notifier.adapters import orm

run_migrations(SQLModel.metadata, orm.TABLE_PREFIX)
