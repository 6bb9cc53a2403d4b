"""Alembic environment for the briefing's tables."""

from sqlmodel import SQLModel

from services.briefing.adapters import orm
from services.common.migrations_env import run_migrations

run_migrations(SQLModel.metadata, orm.TABLE_PREFIX)
