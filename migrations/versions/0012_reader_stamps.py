"""personal stamps fixed at first issue; page views of restricted documents logged per page

A reader's stamp (name, unit, time of first issue) is the same on the stamped copy and on every page
image drawn for them, so its time is stored once per version and reader. The access log gains the page
of a page view.

Revision ID: 0012_reader_stamps
Revises: 0011_presence
Create Date: 2026-12-06 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_reader_stamps'
down_revision = '0011_presence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'meeting_document_stamps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_meeting_document_stamps_user_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['meeting_document_versions.id'],
                                name=op.f('fk_meeting_document_stamps_version_id_meeting_document_versions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_document_stamps')),
        sa.UniqueConstraint('version_id', 'user_id', name='uq_meeting_document_stamps_version_user'),
    )
    with op.batch_alter_table('meeting_document_stamps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_document_stamps_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('meeting_document_access', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_document_access', schema=None) as batch_op:
        batch_op.drop_column('page')
    with op.batch_alter_table('meeting_document_stamps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_document_stamps_user_id'))
    op.drop_table('meeting_document_stamps')
