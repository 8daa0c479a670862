"""live presence rows carry their server process and a heartbeat

Rows left by a killed process are recognised as stale and swept. Rows present at upgrade time
belong to processes that the deployment stopped, so they are dropped rather than given made-up values.

Revision ID: 0011_presence
Revises: 0010_notices
Create Date: 2026-11-28 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_presence'
down_revision = '0010_notices'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM live_presence")
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('instance', sa.String(length=32), nullable=False))
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(), nullable=False))
        batch_op.create_index(batch_op.f('ix_live_presence_instance'), ['instance'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_presence_seen_at'), ['seen_at'], unique=False)


def downgrade():
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_presence_seen_at'))
        batch_op.drop_index(batch_op.f('ix_live_presence_instance'))
        batch_op.drop_column('seen_at')
        batch_op.drop_column('instance')
