"""background jobs: a document's upload state (processing, ready, refused, progress)

Revision ID: 0020_document_states
Revises: 0019_heartbeats
Create Date: 2026-12-06 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_document_states'
down_revision = "0019_heartbeats"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='ready', nullable=False))
        batch_op.add_column(sa.Column('progress', sa.Integer(), server_default='100', nullable=False))
        batch_op.add_column(sa.Column('refusal_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('refusal_code')
        batch_op.drop_column('progress')
        batch_op.drop_column('state')
