"""search: a word index beside the trigram one (a stored tsvector with GIN on PostgreSQL, an FTS5
unicode61 table on SQLite, with the pairs of neighbouring words the app writes into
search_index.pairs in a second, position-less FTS5 table), so that a common query of whole words
and a phrase of common words are answered in milliseconds

Revision ID: 0024_search_words
Revises: 0023_consultation_delegate
Create Date: 2026-12-06 09:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_search_words"
down_revision = "0023_consultation_delegate"
branch_labels = None
depends_on = None

# Copied, not imported: a migration keeps the schema of its day (meetings/search/models.py may move on).
PG_LEXEMES = r"""
CREATE OR REPLACE FUNCTION search_lexemes(title text, content text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  w text[] := string_to_array(btrim(regexp_replace(content, '[^a-z0-9]+', ' ', 'g')), ' ');
  t text[] := string_to_array(btrim(regexp_replace(title, '[^a-z0-9]+', ' ', 'g')), ' ');
BEGIN
  RETURN array_to_tsvector(w || ARRAY(SELECT w[i] || '_' || w[i + 1] FROM generate_series(1, cardinality(w) - 1) AS i)
                             || ARRAY(SELECT 't:' || x FROM unnest(t) AS x));
END $$"""
SQLITE_WORDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words USING fts5("
    "title, content, content='search_index', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS search_words_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_words(rowid, title, content) VALUES (new.id, new.title, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS search_words_ad AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_words(search_words, rowid, title, content) VALUES ('delete', old.id, old.title, old.content); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS search_words_au AFTER UPDATE OF title, content ON search_index BEGIN "
    "INSERT INTO search_words(search_words, rowid, title, content) VALUES ('delete', old.id, old.title, old.content); "
    "INSERT INTO search_words(rowid, title, content) VALUES (new.id, new.title, new.content); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words_vocab USING fts5vocab(search_words, 'col')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words_pairs USING fts5("
    "pairs, content='search_index', content_rowid='id', tokenize=\"unicode61 tokenchars '_'\", detail='none')",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_words_pairs(rowid, pairs) VALUES (new.id, new.pairs); END",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_ad AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_words_pairs(search_words_pairs, rowid, pairs) VALUES ('delete', old.id, old.pairs); END",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_au AFTER UPDATE OF pairs ON search_index BEGIN "
    "INSERT INTO search_words_pairs(search_words_pairs, rowid, pairs) VALUES ('delete', old.id, old.pairs); "
    "INSERT INTO search_words_pairs(rowid, pairs) VALUES (new.id, new.pairs); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words_pairs_vocab USING fts5vocab(search_words_pairs, 'row')",
]
_WORD = re.compile(r"[a-z0-9]+")


def _pairs_of(content):
    """Each pair of neighbouring words once, as meetings.search.words.pairs_of cuts them today."""
    ws = _WORD.findall(content or "")
    return " ".join(dict.fromkeys(f"{a}_{b}" for a, b in zip(ws, ws[1:])))


def _fill_pairs(bind):
    """The pairs of the rows already indexed."""
    last = 0
    while True:
        rows = bind.execute(sa.text("SELECT id, content FROM search_index WHERE id > :last ORDER BY id LIMIT 1000"),
                            {"last": last}).all()
        if not rows:
            return
        bind.execute(sa.text("UPDATE search_index SET pairs = :pairs WHERE id = :id"),
                     [{"id": id_, "pairs": _pairs_of(content)} for id_, content in rows])
        last = rows[-1][0]


def upgrade():
    # SQLite's word pairs, written by the app beside each row (NULL on PostgreSQL: the tsvector has them).
    op.add_column("search_index", sa.Column("pairs", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_LEXEMES)
        # The generated column is computed for every existing row here: the index is filled too.
        op.execute("ALTER TABLE search_index ADD COLUMN words tsvector "
                   "GENERATED ALWAYS AS (search_lexemes(title, content)) STORED")
        op.execute("CREATE INDEX ix_search_index_words ON search_index USING gin (words)")
        return
    # The pairs first, then the FTS5 tables built from the rows: a trigger's 'delete' of a row that
    # an FTS5 table never held would corrupt it ("database disk image is malformed").
    _fill_pairs(op.get_bind())
    for statement in SQLITE_WORDS:
        op.execute(statement)
    op.execute("INSERT INTO search_words(search_words) VALUES ('rebuild')")
    op.execute("INSERT INTO search_words_pairs(search_words_pairs) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_index_words")
        op.execute("ALTER TABLE search_index DROP COLUMN IF EXISTS words")
        op.execute("DROP FUNCTION IF EXISTS search_lexemes(text, text)")
        op.drop_column("search_index", "pairs")
        return
    for statement in ("DROP TRIGGER IF EXISTS search_words_pairs_au", "DROP TRIGGER IF EXISTS search_words_pairs_ad",
                      "DROP TRIGGER IF EXISTS search_words_pairs_ai", "DROP TABLE IF EXISTS search_words_pairs_vocab",
                      "DROP TABLE IF EXISTS search_words_pairs",
                      "DROP TRIGGER IF EXISTS search_words_au", "DROP TRIGGER IF EXISTS search_words_ad",
                      "DROP TRIGGER IF EXISTS search_words_ai", "DROP TABLE IF EXISTS search_words_vocab",
                      "DROP TABLE IF EXISTS search_words"):
        op.execute(statement)
    op.drop_column("search_index", "pairs")
