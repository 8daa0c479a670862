"""written opinions (phiếu lấy ý kiến): requests, questions, recipients, answer versions, extensions, reminders

Revision ID: 0021_consultations
Revises: 0020_document_states
Create Date: 2026-12-06 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_consultations'
down_revision = "0020_document_states"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consultations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('deadline', sa.DateTime(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('carrier_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('summary_pdf', sa.LargeBinary(), nullable=True),
        sa.Column('summary_csv', sa.Text(), nullable=True),
        sa.Column('summary_signed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['carrier_id'], ['meetings.id'], name=op.f('fk_consultations_carrier_id_meetings'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consultations_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_consultations_meeting_id_meetings'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_consultations_task_id_tasks'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
        sa.UniqueConstraint('carrier_id', name=op.f('uq_consultations_carrier_id')),
    )
    op.create_index(op.f('ix_consultations_status'), 'consultations', ['status'], unique=False)
    op.create_table(
        'consultation_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_consultation_questions_consultation_id_consultations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_questions')),
    )
    op.create_index(op.f('ix_consultation_questions_consultation_id'), 'consultation_questions', ['consultation_id'])
    op.create_table(
        'consultation_recipients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_consultation_recipients_consultation_id_consultations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_consultation_recipients_unit_id_units'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consultation_recipients_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_recipients')),
        sa.UniqueConstraint('consultation_id', 'user_id', 'unit_id',
                            name='uq_consultation_recipients_consultation_user_unit'),
    )
    op.create_index(op.f('ix_consultation_recipients_consultation_id'), 'consultation_recipients', ['consultation_id'])
    op.create_index(op.f('ix_consultation_recipients_user_id'), 'consultation_recipients', ['user_id'])
    op.create_index(op.f('ix_consultation_recipients_unit_id'), 'consultation_recipients', ['unit_id'])
    op.create_table(
        'consultation_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('no_opinion', sa.Boolean(), nullable=False),
        sa.Column('prepared_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('attachment_name', sa.String(length=300), nullable=True),
        sa.Column('attachment', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['prepared_by_id'], ['users.id'], name=op.f('fk_consultation_answers_prepared_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recipient_id'], ['consultation_recipients.id'],
                                name=op.f('fk_consultation_answers_recipient_id_consultation_recipients'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'],
                                name=op.f('fk_consultation_answers_submitted_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answers')),
        sa.UniqueConstraint('recipient_id', 'number', name='uq_consultation_answers_recipient_number'),
    )
    op.create_index(op.f('ix_consultation_answers_recipient_id'), 'consultation_answers', ['recipient_id'])
    op.create_table(
        'consultation_extensions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('old_deadline', sa.DateTime(), nullable=False),
        sa.Column('new_deadline', sa.DateTime(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_consultation_extensions_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_consultation_extensions_consultation_id_consultations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_extensions')),
    )
    op.create_index(op.f('ix_consultation_extensions_consultation_id'), 'consultation_extensions', ['consultation_id'])
    op.create_table(
        'consultation_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('occasion', sa.String(length=40), nullable=False),
        sa.Column('deadline', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_consultation_reminders_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recipient_id'], ['consultation_recipients.id'],
                                name=op.f('fk_consultation_reminders_recipient_id_consultation_recipients'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_reminders')),
        sa.UniqueConstraint('recipient_id', 'occasion', 'deadline',
                            name='uq_consultation_reminders_recipient_occasion_deadline'),
    )
    op.create_index(op.f('ix_consultation_reminders_recipient_id'), 'consultation_reminders', ['recipient_id'])


def downgrade():
    op.drop_table('consultation_reminders')
    op.drop_table('consultation_extensions')
    op.drop_table('consultation_answers')
    op.drop_table('consultation_recipients')
    op.drop_table('consultation_questions')
    op.drop_table('consultations')
