"""the outbox relay reads a partial index of unpublished events

Revision ID: f2c7a9e4b611
Revises: e4b517313ed8
Create Date: 2026-12-05 19:00:00.000000

The relay reads the unpublished events by seq; an index over every publication time kept
every event ever published in its scan (26 ms per round at 40,000 events on PostgreSQL).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f2c7a9e4b611'
down_revision: str | None = 'e4b517313ed8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPUBLISHED = sa.text('published_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('briefing_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_briefing_outbox_published_at')
    op.create_index(
        'ix_briefing_outbox_unpublished',
        'briefing_outbox',
        ['seq'],
        unique=False,
        postgresql_where=UNPUBLISHED,
        sqlite_where=UNPUBLISHED,
    )


def downgrade() -> None:
    op.drop_index('ix_briefing_outbox_unpublished', table_name='briefing_outbox')
    with op.batch_alter_table('briefing_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_briefing_outbox_published_at', ['published_at'], unique=False)
