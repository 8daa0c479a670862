"""search: SQLite's word counts (search_word_counts, kept by the app as rows come and go) and the
title's words marked in search_index.pairs ("_ke"), so that choosing a plan reads a few counts and a
title rank reads the title's own short lists, whatever the size of the data (PostgreSQL: nothing,
its planner has the statistics of the words column and its tsvector the title's words)

Revision ID: 0025_search_word_counts
Revises: 0024_search_words
Create Date: 2026-12-06 12:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_search_word_counts"
down_revision = "0024_search_words"
branch_labels = None
depends_on = None

_WORD = re.compile(r"[a-z0-9]+")


# Copied, not imported: a migration keeps the schema of its day.
def _pairs_column(title, content):
    ws = _WORD.findall(content or "")
    pairs = " ".join(dict.fromkeys(f"{a}_{b}" for a, b in zip(ws, ws[1:])))
    titles = " ".join("_" + w for w in dict.fromkeys(_WORD.findall(title or "")))
    return " ".join(filter(None, (pairs, titles)))


def _rewrite(bind, pairs):
    last = 0
    while True:
        rows = bind.execute(sa.text("SELECT id, title, content FROM search_index WHERE id > :last ORDER BY id "
                                    "LIMIT 1000"), {"last": last}).all()
        if not rows:
            return
        bind.execute(sa.text("UPDATE search_index SET pairs = :pairs WHERE id = :id"),
                     [{"id": id_, "pairs": pairs(title, content)} for id_, title, content in rows])
        last = rows[-1][0]


def upgrade():
    # On both engines (one schema); only SQLite fills it.
    op.create_table("search_word_counts", sa.Column("term", sa.Text(), nullable=False),
                    sa.Column("doc", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("term"))
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # The trigger search_words_pairs_au keeps the FTS5 table in step with each rewritten row.
    _rewrite(bind, _pairs_column)
    op.execute("INSERT INTO search_word_counts (term, doc) SELECT term, doc FROM search_words_vocab "
               "WHERE col = 'content'")
    op.execute("INSERT INTO search_word_counts (term, doc) SELECT term, doc FROM search_words_pairs_vocab "
               "WHERE true ON CONFLICT (term) DO UPDATE SET doc = excluded.doc")


def downgrade():
    op.drop_table("search_word_counts")
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return

    def pairs_only(title, content):
        ws = _WORD.findall(content or "")
        return " ".join(dict.fromkeys(f"{a}_{b}" for a, b in zip(ws, ws[1:])))
    _rewrite(bind, pairs_only)
