"""minutes (biên bản), one row per version; and the foreign key from conclusions to agenda items

0008_tasks left task_conclusions.agenda_item_id a plain integer because the agenda table was being
built on another branch. Until now any number could be stored there, so numbers that name no agenda
item are cleared before the key is added (PostgreSQL would refuse the key otherwise).

Revision ID: 0009_minutes
Revises: 0008_tasks
Create Date: 2026-11-28 17:54:34.611207

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_minutes'
down_revision = '0008_tasks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.Column('generated_by_id', sa.Integer(), nullable=True),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopen_reason', sa.String(length=1000), nullable=True),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_minutes_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_minutes_edited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['generated_by_id'], ['users.id'], name=op.f('fk_minutes_generated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_minutes_reopened_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('meeting_id', 'current', name='uq_minutes_meeting_current'),
    sa.UniqueConstraint('meeting_id', 'version_no', name='uq_minutes_meeting_version_no')
    )
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_meeting_id'), ['meeting_id'], unique=False)

    op.execute("UPDATE task_conclusions SET agenda_item_id = NULL WHERE agenda_item_id IS NOT NULL "
               "AND agenda_item_id NOT IN (SELECT id FROM agenda_items)")
    with op.batch_alter_table('task_conclusions', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_task_conclusions_agenda_item_id_agenda_items'), 'agenda_items', ['agenda_item_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('task_conclusions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_conclusions_agenda_item_id_agenda_items'), type_='foreignkey')

    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_meeting_id'))

    op.drop_table('minutes')
