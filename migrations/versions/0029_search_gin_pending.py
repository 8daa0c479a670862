"""search: PostgreSQL's two GIN indexes of search_index take new rows into their pending list again
(fastupdate on, 16 MB), merged in bulk by a job right after each commit and by a sweep every five
minutes. Written straight in (0026), a new 200-page version took 0.6-1.1 s of its transaction at a
million pages, 1.2-2 s cold; into the list 0.10-0.16 s, and the merge after it 0.3-0.9 s warm, 1.5-3 s
cold. SQLite: nothing.

Revision ID: 0029_search_gin_pending
Revises: 0028_search_fts_vocab_dropped
Create Date: 2026-12-07 01:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029_search_gin_pending"
down_revision = "0028_search_fts_vocab_dropped"
branch_labels = None
depends_on = None

INDEXES = ("ix_search_index_content_trgm", "ix_search_index_words")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} SET (fastupdate = on, gin_pending_list_limit = 16384)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")  # what waits is merged first
        op.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
