"""search: SQLite's search_fts_vocab (an fts5vocab view of the trigram index) dropped. engine.is_common
now counts each trigram's matches up to a bound; the view counted each one's whole list (45-104 ms at
a million pages). It held no data of its own. PostgreSQL: nothing.

Revision ID: 0028_search_fts_vocab_dropped
Revises: 0027_search_kind_at
Create Date: 2026-12-06 22:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028_search_fts_vocab_dropped"
down_revision = "0027_search_kind_at"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts_vocab")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')")
