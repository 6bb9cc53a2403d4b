"""council members' availability

Each council member's availability windows (one row per office and member, the windows
as JSON, replaced as a whole). A member without a row has nothing stored: the planner
takes them to be available during working hours.

Revision ID: ce9e2ad40e9d
Revises: cc2e8f754f94
Create Date: 2026-12-02 19:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'ce9e2ad40e9d'
down_revision: str | None = 'cc2e8f754f94'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'scheduler_member_availability',
        sa.Column(
            'office_id', sqlmodel.sql.sqltypes.AutoString(), server_default='seoul', nullable=False
        ),
        sa.Column('member_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('windows', sa.JSON(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('office_id', 'member_id'),
    )
    with op.batch_alter_table('scheduler_member_availability', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_scheduler_member_availability_office_id'), ['office_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('scheduler_member_availability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduler_member_availability_office_id'))
    op.drop_table('scheduler_member_availability')
