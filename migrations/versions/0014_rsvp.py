"""attendance answers before a meeting (xác nhận tham dự) and delegates (cử người dự thay)

Each participant's answer (accepted, declined with a reason, delegated), when it came and when the
secretary last reminded them; a delegate's row says whom they stand in for, and whether it exists
only because of that delegation.

Revision ID: 0014_rsvp
Revises: 0013_login_throttle
Create Date: 2026-12-06 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_rsvp'
down_revision = '0013_login_throttle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rsvp', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('rsvp_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('rsvp_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rsvp_reminded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('delegate_for_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('by_delegation', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_meeting_participants_delegate_for_id_users'), 'users',
                                    ['delegate_for_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('meeting_participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_participants_delegate_for_id_users'), type_='foreignkey')
        batch_op.drop_column('by_delegation')
        batch_op.drop_column('delegate_for_id')
        batch_op.drop_column('rsvp_reminded_at')
        batch_op.drop_column('rsvp_at')
        batch_op.drop_column('rsvp_reason')
        batch_op.drop_column('rsvp')
