"""a unit's head names a member who answers a request for opinions for the unit (who named them, when)

Revision ID: 0023_consultation_delegate
Revises: 0022_periodic_reports
Create Date: 2026-12-06 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_consultation_delegate'
down_revision = '0022_periodic_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegate_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delegated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delegated_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consultation_recipients_delegate_id_users'), 'users',
                                    ['delegate_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_consultation_recipients_delegated_by_id_users'), 'users',
                                    ['delegated_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('consultation_recipients', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultation_recipients_delegated_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_consultation_recipients_delegate_id_users'), type_='foreignkey')
        batch_op.drop_column('delegated_at')
        batch_op.drop_column('delegated_by_id')
        batch_op.drop_column('delegate_id')
