"""search: PostgreSQL's two GIN indexes of search_index written straight through (fastupdate off).
With GIN's pending list on, the transaction that filled it merged it: at a million pages, indexing a
new 200-page version took 2-3 s now and then instead of 0.1 s; without it, 0.6-0.8 s every time
(issue 20: under 1 s). SQLite: nothing.

Revision ID: 0026_search_gin_fastupdate
Revises: 0025_search_word_counts
Create Date: 2026-12-06 13:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_search_gin_fastupdate"
down_revision = "0025_search_word_counts"
branch_labels = None
depends_on = None

INDEXES = ("ix_search_index_content_trgm", "ix_search_index_words")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")  # what waits is merged first
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (fastupdate)")
