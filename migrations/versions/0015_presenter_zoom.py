"""the presenter's zoom beside the page, so followers' readers show what the presenter shows

Revision ID: 0015_presenter_zoom
Revises: 0014_rsvp
Create Date: 2026-12-06 03:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_presenter_zoom'
down_revision = '0014_rsvp'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_presenter_pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zoom', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('live_presenter_pages', schema=None) as batch_op:
        batch_op.drop_column('zoom')
