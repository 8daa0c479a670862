"""three access levels per document (download, app, screen) instead of the read_only flag

Existing read-in-the-app-only documents become `app`: their readers keep reading them in the app, now
drawn from their stamped copy; every other document becomes `download`, as it was.

Revision ID: 0016_document_access
Revises: 0015_presenter_zoom
Create Date: 2026-12-06 05:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_document_access'
down_revision = "0015_presenter_zoom"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access', sa.String(length=10), server_default='download', nullable=False))
    op.execute("UPDATE meeting_documents SET access = 'app' WHERE read_only")
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.drop_column('read_only')


def downgrade():
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_only', sa.Boolean(), server_default=sa.false(), nullable=False))
    # `screen` had no equivalent before: the closest is read-in-the-app-only, which never gave a file.
    op.execute("UPDATE meeting_documents SET read_only = (access <> 'download')")
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.drop_column('access')
