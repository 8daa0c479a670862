"""The search index: one row per searchable unit (a document page, an entry, a conclusion, a task,
the current minutes), its text folded as fold_vietnamese folds it, kept current by indexing.py.

The engine-specific parts live beside the table: on PostgreSQL a trigram GIN index (pg_trgm) over
the folded text; on SQLite an FTS5 table with the trigram tokenizer over the same rows, kept in
step by triggers, so both answer "contains this substring" from an index.
"""
from datetime import datetime

from sqlalchemy import DDL, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db

KINDS = ("document", "entry", "conclusion", "task", "minutes")


class SearchEntry(db.Model):
    __tablename__ = "search_index"
    __table_args__ = (
        Index("ix_search_index_kind_ref", "kind", "ref_id"),
        Index("ix_search_index_at", "at"),
        # pg_trgm answers LIKE '%…%' from this index, whatever the word boundaries ("zq-58" too).
        Index("ix_search_index_content_trgm", "content", postgresql_using="gin",
              postgresql_ops={"content": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # The object found: a document (one row per page of its current version), an entry, a
    # conclusion, a task, a minutes version. No foreign keys: the rows are derived, removed by
    # indexing.py with their object, and every search joins the live tables for access anyway.
    ref_id: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the calendar entry's id
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    page: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")  # folded
    content: Mapped[str] = mapped_column(Text, default="")  # folded; what a query must find
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # recency, the tie-breaker


# The FTS5 side on SQLite: an external-content table (the text is stored once, in search_index)
# with the trigram tokenizer, so a phrase matches any substring of three characters or more.
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
SQLITE_FTS_DROP = ["DROP TRIGGER IF EXISTS search_index_au", "DROP TRIGGER IF EXISTS search_index_ad",
                   "DROP TRIGGER IF EXISTS search_index_ai", "DROP TABLE IF EXISTS search_fts_vocab",
                   "DROP TABLE IF EXISTS search_fts"]
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"

# db.create_all (tests, a fresh development database) builds the same as the migration does.
_table = SearchEntry.__table__
event.listen(_table, "before_create", DDL(PG_EXTENSION).execute_if(dialect="postgresql"))
for _statement in SQLITE_FTS:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_FTS_DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))
