"""the search index: folded text of document pages, entries, conclusions, tasks and minutes, with a
pg_trgm GIN index on PostgreSQL and an FTS5 trigram table on SQLite; filled from the stored texts

Revision ID: 0018_search
Revises: 0017_offline_days
Create Date: 2026-12-06 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0018_search'
down_revision = "0017_offline_days"
branch_labels = None
depends_on = None

# Kept here, not imported, so that this revision builds the same schema whatever the code becomes.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "content, content='search_index', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS search_index_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS search_index_ad AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER IF NOT EXISTS search_index_au AFTER UPDATE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); "
    "INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
    # How many rows hold each trigram: engine.py asks it whether a query is rare or common.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')",
]


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        'search_index',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('page', sa.Integer(), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index')),
    )
    with op.batch_alter_table('search_index', schema=None) as batch_op:
        batch_op.create_index('ix_search_index_kind_ref', ['kind', 'ref_id'], unique=False)
        batch_op.create_index('ix_search_index_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_index_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_index_document_id'), ['document_id'], unique=False)
    if postgresql:
        op.create_index('ix_search_index_content_trgm', 'search_index', ['content'], unique=False,
                        postgresql_using='gin', postgresql_ops={'content': 'gin_trgm_ops'})
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)
    _fill()


def _fill():
    """Existing texts go into the index now (`flask search reindex` does the same at any time)."""
    from meetings.search import indexing

    conn = op.get_bind()
    for table, index in (("calendar_events", indexing.index_entries), ("meeting_documents", indexing.index_documents),
                         ("task_conclusions", indexing.index_conclusions), ("tasks", indexing.index_tasks)):
        ids = [row[0] for row in conn.execute(sa.text(f"SELECT id FROM {table}"))]
        for start in range(0, len(ids), 500):
            index(conn, ids[start:start + 500])
    meetings = [row[0] for row in conn.execute(sa.text("SELECT DISTINCT meeting_id FROM minutes"))]
    if meetings:
        indexing.index_minutes(conn, meetings)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in ("DROP TRIGGER IF EXISTS search_index_au", "DROP TRIGGER IF EXISTS search_index_ad",
                          "DROP TRIGGER IF EXISTS search_index_ai", "DROP TABLE IF EXISTS search_fts_vocab",
                   "DROP TABLE IF EXISTS search_fts"):
            op.execute(statement)
    else:
        op.drop_index('ix_search_index_content_trgm', table_name='search_index', postgresql_using='gin')
    with op.batch_alter_table('search_index', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_index_document_id'))
        batch_op.drop_index(batch_op.f('ix_search_index_meeting_id'))
        batch_op.drop_index('ix_search_index_at')
        batch_op.drop_index('ix_search_index_kind_ref')
    op.drop_table('search_index')
