"""Alembic environment for the briefing's tables."""

from sqlmodel import SQLModel

from services.common.migrations_env import run_migrations
from services.briefing.adapters import orm

run_migrations(SQLModel.metadata, orm.TABLE_PREFIX)
