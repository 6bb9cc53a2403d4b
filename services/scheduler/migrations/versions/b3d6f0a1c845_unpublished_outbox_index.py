"""the outbox relay reads a partial index of unpublished events

Revision ID: b3d6f0a1c845
Revises: ce9e2ad40e9d
Create Date: 2026-12-05 19:00:00.000000

The relay reads the unpublished events by seq; an index over every publication time kept
every event ever published in its scan (26 ms per round at 40,000 events on PostgreSQL).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b3d6f0a1c845'
down_revision: str | None = 'ce9e2ad40e9d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPUBLISHED = sa.text('published_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('scheduler_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_scheduler_outbox_published_at')
    op.create_index(
        'ix_scheduler_outbox_unpublished',
        'scheduler_outbox',
        ['seq'],
        unique=False,
        postgresql_where=UNPUBLISHED,
        sqlite_where=UNPUBLISHED,
    )


def downgrade() -> None:
    op.drop_index('ix_scheduler_outbox_unpublished', table_name='scheduler_outbox')
    with op.batch_alter_table('scheduler_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_scheduler_outbox_published_at', ['published_at'], unique=False)
