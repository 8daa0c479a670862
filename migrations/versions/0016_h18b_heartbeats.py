"""heartbeats of the background processes (scheduler, worker), read by /readyz

Revision ID: 0016_h18b_heartbeats
Revises: 0015_presenter_zoom
Create Date: 2026-12-06 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0016_h18b_heartbeats'
down_revision = '0015_presenter_zoom'
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
