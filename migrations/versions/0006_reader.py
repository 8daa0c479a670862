"""reader: annotations per user, document version and page (ids chosen by the browser; tombstones for offline sync)

Revision ID: 0006_reader
Revises: 0005_meetings
Create Date: 2026-11-28 16:01:39.881782

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_reader'
down_revision = '0005_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reader_annotations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['meeting_documents.id'], name=op.f('fk_reader_annotations_document_id_meeting_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reader_annotations_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['meeting_document_versions.id'], name=op.f('fk_reader_annotations_version_id_meeting_document_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_annotations'))
    )
    with op.batch_alter_table('reader_annotations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reader_annotations_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reader_annotations_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_reader_annotations_version_user', ['version_id', 'user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reader_annotations', schema=None) as batch_op:
        batch_op.drop_index('ix_reader_annotations_version_user')
        batch_op.drop_index(batch_op.f('ix_reader_annotations_user_id'))
        batch_op.drop_index(batch_op.f('ix_reader_annotations_document_id'))

    op.drop_table('reader_annotations')
