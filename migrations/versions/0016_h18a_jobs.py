"""background jobs: a document's upload state (processing, ready, refused, progress) and the
heartbeats of background processes

Revision ID: 0016_h18a_jobs
Revises: 0015_presenter_zoom
Create Date: 2026-12-06 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_h18a_jobs'
down_revision = '0015_presenter_zoom'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='ready', nullable=False))
        batch_op.add_column(sa.Column('progress', sa.Integer(), server_default='100', nullable=False))
        batch_op.add_column(sa.Column('refusal_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.String(length=500), nullable=True))
    op.create_table('heartbeats',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_heartbeats')))


def downgrade():
    op.drop_table('heartbeats')
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('refusal_code')
        batch_op.drop_column('progress')
        batch_op.drop_column('state')
