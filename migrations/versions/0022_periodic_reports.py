"""periodic reports (chế độ báo cáo định kỳ): a request's recurrence and lead time, its rounds by period

Revision ID: 0022_periodic_reports
Revises: 0021_consultations
Create Date: 2026-12-06 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_periodic_reports'
down_revision = "0021_consultations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurrence', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('lead_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('period', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consultations_series_id_consultations'), 'consultations',
                                    ['series_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_consultations_series_period'), ['series_id', 'period'])
        batch_op.create_index(batch_op.f('ix_consultations_series_id'), ['series_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_series_id'))
        batch_op.drop_constraint(batch_op.f('uq_consultations_series_period'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_consultations_series_id_consultations'), type_='foreignkey')
        batch_op.drop_column('period')
        batch_op.drop_column('series_id')
        batch_op.drop_column('lead_days')
        batch_op.drop_column('recurrence')
