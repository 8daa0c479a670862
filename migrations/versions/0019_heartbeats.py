"""heartbeats of the background processes (scheduler, worker), read by /readyz

Revision ID: 0019_heartbeats
Revises: 0018_search
Create Date: 2026-12-06 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0019_heartbeats'
down_revision = "0018_search"
branch_labels = None
depends_on = None

def upgrade():
    op.create_table('heartbeats',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('beat_at', sa.DateTime(), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_heartbeats'))
    )

def downgrade():
    op.drop_table('heartbeats')
