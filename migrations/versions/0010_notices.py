"""conclusion notices (thông báo kết luận): drafts and issued notices with their recipient units, the
per-office yearly number counters, the signing certificate, and the place (địa danh) of a unit

down_revision is 0008_tasks on this branch; the integrator re-chains it after 0009_minutes.

Revision ID: 0010_notices
Revises: 0009_minutes
Create Date: 2026-11-28 17:55:26.115909

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_notices'
down_revision = '0009_minutes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conclusion_notice_counters',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_conclusion_notice_counters_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_conclusion_notice_counters'))
    )
    op.create_table('signing_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pkcs12', sa.LargeBinary(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('not_before', sa.DateTime(), nullable=False),
    sa.Column('not_after', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_signing_certificates_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_certificates'))
    )
    op.create_table('conclusion_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('issuing_unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('subtitle', sa.Text(), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signer_capacity', sa.String(length=300), nullable=False),
    sa.Column('other_recipients', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_conclusion_notices_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuing_unit_id'], ['units.id'], name=op.f('fk_conclusion_notices_issuing_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['calendar_events.id'], name=op.f('fk_conclusion_notices_meeting_id_calendar_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], name=op.f('fk_conclusion_notices_signer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conclusion_notices')),
    sa.UniqueConstraint('issuing_unit_id', 'year', 'number', name='uq_conclusion_notices_number'),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_conclusion_notices_meeting_id'))
    )
    with op.batch_alter_table('conclusion_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conclusion_notices_issuing_unit_id'), ['issuing_unit_id'], unique=False)

    op.create_table('conclusion_notice_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['conclusion_notices.id'], name=op.f('fk_conclusion_notice_units_notice_id_conclusion_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_conclusion_notice_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conclusion_notice_units')),
    sa.UniqueConstraint('notice_id', 'unit_id', name='uq_conclusion_notice_units_notice_unit')
    )
    with op.batch_alter_table('conclusion_notice_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conclusion_notice_units_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conclusion_notice_units_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=100), nullable=True))



def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('place')

    with op.batch_alter_table('conclusion_notice_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conclusion_notice_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_conclusion_notice_units_notice_id'))

    op.drop_table('conclusion_notice_units')
    with op.batch_alter_table('conclusion_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conclusion_notices_issuing_unit_id'))

    op.drop_table('conclusion_notices')
    op.drop_table('signing_certificates')
    op.drop_table('conclusion_notice_counters')
