"""live room: item timings, check-ins, presence, speaking requests, votes (voters apart from ballots), notices, presenter page

Revision ID: 0007_live
Revises: 0006_reader
Create Date: 2026-11-28 15:49:14.531484

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_live'
down_revision = '0006_reader'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_check_ins_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_check_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_check_ins')),
    sa.UniqueConstraint('meeting_id', 'user_id', name='uq_live_check_ins_meeting_user')
    )
    with op.batch_alter_table('live_check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_check_ins_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('live_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_notices_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_notices_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_notices'))
    )
    with op.batch_alter_table('live_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_notices_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('live_presence',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_presence_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_presence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sid', 'meeting_id', name=op.f('pk_live_presence'))
    )
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_presence_user_id'), ['user_id'], unique=False)

    op.create_table('live_speaking_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_speaking_requests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_speaking_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_speaking_requests'))
    )
    with op.batch_alter_table('live_speaking_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_speaking_requests_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('live_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ballot_key', sa.LargeBinary(length=32), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_votes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_votes'))
    )
    with op.batch_alter_table('live_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_votes_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('live_ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=False),
    sa.Column('choice', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['live_votes.id'], name=op.f('fk_live_ballots_vote_id_live_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_ballots')),
    sa.UniqueConstraint('vote_id', 'voter_key', name='uq_live_ballots_vote_key')
    )
    with op.batch_alter_table('live_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_ballots_vote_id'), ['vote_id'], unique=False)

    op.create_table('live_item_timings',
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_live_item_timings_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_item_timings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agenda_item_id', name=op.f('pk_live_item_timings'))
    )
    with op.batch_alter_table('live_item_timings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_item_timings_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('live_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_voters_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['live_votes.id'], name=op.f('fk_live_voters_vote_id_live_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_voters')),
    sa.UniqueConstraint('vote_id', 'user_id', name='uq_live_voters_vote_user')
    )
    with op.batch_alter_table('live_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_voters_vote_id'), ['vote_id'], unique=False)

    op.create_table('live_presenter_pages',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['meeting_documents.id'], name=op.f('fk_live_presenter_pages_document_id_meeting_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_presenter_pages_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['presenter_id'], ['users.id'], name=op.f('fk_live_presenter_pages_presenter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_live_presenter_pages'))
    )


def downgrade():
    op.drop_table('live_presenter_pages')
    with op.batch_alter_table('live_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_voters_vote_id'))

    op.drop_table('live_voters')
    with op.batch_alter_table('live_item_timings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_item_timings_meeting_id'))

    op.drop_table('live_item_timings')
    with op.batch_alter_table('live_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_ballots_vote_id'))

    op.drop_table('live_ballots')
    with op.batch_alter_table('live_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_votes_meeting_id'))

    op.drop_table('live_votes')
    with op.batch_alter_table('live_speaking_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_speaking_requests_meeting_id'))

    op.drop_table('live_speaking_requests')
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_presence_user_id'))

    op.drop_table('live_presence')
    with op.batch_alter_table('live_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_notices_meeting_id'))

    op.drop_table('live_notices')
    with op.batch_alter_table('live_check_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_check_ins_meeting_id'))

    op.drop_table('live_check_ins')
