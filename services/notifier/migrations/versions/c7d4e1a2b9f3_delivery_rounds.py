"""delivery rounds: a member invited again at the same stop version

Revision ID: c7d4e1a2b9f3
Revises: 5b2e7d9c4a18
Create Date: 2026-12-05 18:30:00.000000

A member an operator excludes after their withdrawal went out and then adds back is invited
again at the same stop version; the n-th invitation (and the withdrawal or reminder going
with it) is its `round`, part of the unique key. Existing rows are the first round (0).
Downgrading drops the later rounds, which the old key cannot hold.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c7d4e1a2b9f3'
down_revision: str | None = '5b2e7d9c4a18'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 'uq_notifier_delivery_purpose'
OLD_COLUMNS = ['stop_id', 'stop_version', 'member_id', 'purpose', 'follow_up_no']


def upgrade() -> None:
    with op.batch_alter_table('notifier_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_constraint(KEY, type_='unique')
        batch_op.create_unique_constraint(KEY, [*OLD_COLUMNS, 'round'])


def downgrade() -> None:
    op.execute('DELETE FROM notifier_delivery WHERE "round" > 0')
    with op.batch_alter_table('notifier_delivery', schema=None) as batch_op:
        batch_op.drop_constraint(KEY, type_='unique')
        batch_op.create_unique_constraint(KEY, OLD_COLUMNS)
        batch_op.drop_column('round')
