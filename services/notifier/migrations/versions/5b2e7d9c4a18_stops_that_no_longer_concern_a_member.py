"""stops that no longer concern a member

Revision ID: 5b2e7d9c4a18
Revises: 3c1f0b7a9d24
Create Date: 2026-12-05 16:30:00.000000

A member told of a stop and later taken off its audience is sent a removal; their feed then
shows the stop cancelled (from `withdrawn_version` on). Existing rows are in the audience.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b2e7d9c4a18'
down_revision: str | None = '3c1f0b7a9d24'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notifier_stop_audience', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notifier_stop_audience', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_version')
