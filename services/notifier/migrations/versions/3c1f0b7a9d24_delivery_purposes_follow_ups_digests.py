"""delivery purposes, follow-ups, digests and day-before reminders

Revision ID: 3c1f0b7a9d24
Revises: 90171ebc250e
Create Date: 2026-12-02 19:00:00.000000

A delivery is unique per (stop, version, member, purpose, follow-up number): existing rows
are notices (purpose `notice`, number 0). The old three-column unique key had no name; on
SQLite the batch copy names it by a convention so it can be dropped.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '3c1f0b7a9d24'
down_revision: str | None = '90171ebc250e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY_POSTGRES = 'notifier_delivery_stop_id_stop_version_member_id_key'
OLD_KEY_SQLITE = 'uq_notifier_delivery_stop_id'
NEW_KEY = 'uq_notifier_delivery_purpose'
NAMING = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}


def _old_key_name() -> str:
    return OLD_KEY_SQLITE if op.get_bind().dialect.name == 'sqlite' else OLD_KEY_POSTGRES


def upgrade() -> None:
    with op.batch_alter_table('notifier_delivery', naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), server_default='notice', nullable=False))
        batch_op.add_column(sa.Column('follow_up_no', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('digest_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recipient_name', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False))
        batch_op.drop_constraint(_old_key_name(), type_='unique')
        batch_op.create_unique_constraint(
            NEW_KEY, ['stop_id', 'stop_version', 'member_id', 'purpose', 'follow_up_no']
        )

    with op.batch_alter_table('notifier_preference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_before_reminder', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('notifier_follow_up',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('office_id', sqlmodel.sql.sqltypes.AutoString(), server_default='seoul', nullable=False),
    sa.Column('stop_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('stop_version', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('progress', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('marked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stop_id', 'number', name='uq_notifier_follow_up_number')
    )
    with op.batch_alter_table('notifier_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifier_follow_up_stop_id'), ['stop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notifier_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifier_follow_up_stop_id'))
    op.drop_table('notifier_follow_up')

    with op.batch_alter_table('notifier_preference', schema=None) as batch_op:
        batch_op.drop_column('day_before_reminder')

    op.execute("DELETE FROM notifier_delivery WHERE purpose <> 'notice'")
    with op.batch_alter_table('notifier_delivery', naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(NEW_KEY, type_='unique')
        batch_op.create_unique_constraint(
            _old_key_name(), ['stop_id', 'stop_version', 'member_id']
        )
        batch_op.drop_column('recipient_name')
        batch_op.drop_column('summary')
        batch_op.drop_column('digest_at')
        batch_op.drop_column('follow_up_no')
        batch_op.drop_column('purpose')
