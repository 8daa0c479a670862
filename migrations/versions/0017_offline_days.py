"""how many days ahead the offline briefcase keeps a user's meetings on their devices

Revision ID: 0017_offline_days
Revises: 0016_document_access
Create Date: 2026-12-06 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_offline_days'
down_revision = "0016_document_access"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline_days', sa.Integer(), server_default='7', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('offline_days')
