"""conclusions and tasks: tasks, their cooperating units and history

agenda_item_id is a plain integer for now: the agenda table arrives from another branch, and the
integrator adds its foreign key (and re-chains this revision after 0004/0005).

Revision ID: 0008_tasks
Revises: 0007_live
Create Date: 2026-11-28 15:50:49.998419

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_tasks'
down_revision = '0007_live'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_conclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_task_conclusions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['calendar_events.id'], name=op.f('fk_task_conclusions_meeting_id_calendar_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_conclusions'))
    )
    with op.batch_alter_table('task_conclusions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_conclusions_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_conclusions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('conclusion_id', sa.Integer(), nullable=True),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('requested_due', sa.Date(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('report_text', sa.Text(), nullable=True),
    sa.Column('report_file_name', sa.String(length=255), nullable=True),
    sa.Column('report_file_key', sa.String(length=255), nullable=True),
    sa.Column('report_file_size', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_tasks_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conclusion_id'], ['task_conclusions.id'], name=op.f('fk_tasks_conclusion_id_task_conclusions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tasks_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_tasks_leader_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['calendar_events.id'], name=op.f('fk_tasks_meeting_id_calendar_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_tasks_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_conclusion_id'), ['conclusion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_unit_id'), ['unit_id'], unique=False)

    op.create_table('task_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=True),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_changes_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_task_changes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_changes'))
    )
    with op.batch_alter_table('task_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_changes_task_id'), ['task_id'], unique=False)

    op.create_table('task_cooperating_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_cooperating_units_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_cooperating_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_cooperating_units')),
    sa.UniqueConstraint('task_id', 'unit_id', name='uq_task_cooperating_units_task_unit')
    )
    with op.batch_alter_table('task_cooperating_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_cooperating_units_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_cooperating_units_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('task_cooperating_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_cooperating_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_cooperating_units_task_id'))

    op.drop_table('task_cooperating_units')
    with op.batch_alter_table('task_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_changes_task_id'))

    op.drop_table('task_changes')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_unit_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_status'))
        batch_op.drop_index(batch_op.f('ix_tasks_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_leader_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_due_date'))
        batch_op.drop_index(batch_op.f('ix_tasks_conclusion_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_assignee_id'))

    op.drop_table('tasks')
    with op.batch_alter_table('task_conclusions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_conclusions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_task_conclusions_agenda_item_id'))

    op.drop_table('task_conclusions')
