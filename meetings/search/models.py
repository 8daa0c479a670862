"""The search index: one row per searchable unit (a document page, an entry, a conclusion, a task,
the current minutes), its text folded as fold_vietnamese folds it, kept current by indexing.py.

The engine-specific parts live beside the table: for whole words (words.py), on PostgreSQL a stored
tsvector column with a GIN index, on SQLite an FTS5 table (unicode61); for substrings and codes, on
PostgreSQL a trigram GIN index (pg_trgm) over the folded text, on SQLite an FTS5 table with the
trigram tokenizer. The FTS5 tables are kept in step by triggers, the tsvector by PostgreSQL itself.
"""
from datetime import datetime

from sqlalchemy import DDL, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db

KINDS = ("document", "entry", "conclusion", "task", "minutes")


# PostgreSQL's GIN indexes of search_index: a new row's words and trigrams go to the index's pending
# list (a 200-page version: 1.6 MB and 0.8 MB, 0.10-0.16 s at a million pages) and are merged into
# the index in bulk by the job queued at the commit (0.3-0.9 s warm, 1.5-3 s cold, off the
# transaction: merge_pending). Written straight in (fastupdate off), each row's 250 words and 600
# trigrams were looked up one by one in the transaction: 0.6-1.1 s a version, 1.2-2 s cold. The list is searched too, so nothing is missed while it waits;
# 16 MB (the default is 4) so that no transaction fills it and pays for the merge itself (2-3 s at
# the default, when nothing merged it in between).
GIN_PENDING = {"fastupdate": "on", "gin_pending_list_limit": "16384"}
GIN_INDEXES = ("ix_search_index_content_trgm", "ix_search_index_words")


class SearchEntry(db.Model):
    __tablename__ = "search_index"
    __table_args__ = (
        Index("ix_search_index_kind_ref", "kind", "ref_id"),
        Index("ix_search_index_at", "at"),
        # A search of one kind (the search page asks each kind on its own) walks that kind's rows
        # newest first: through ix_search_index_at it walked every row of every kind.
        Index("ix_search_index_kind_at", "kind", "at"),
        # pg_trgm answers LIKE '%…%' from this index, whatever the word boundaries ("zq-58" too).
        # Both GIN indexes (see PG_WORDS) take new rows into their pending list, merged in bulk right
        # after the commit (indexing.merge_pending): see GIN_PENDING.
        Index("ix_search_index_content_trgm", "content", postgresql_using="gin",
              postgresql_ops={"content": "gin_trgm_ops"},
              postgresql_with=GIN_PENDING).ddl_if(dialect="postgresql"),
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
    # SQLite only (NULL on PostgreSQL, whose tsvector holds them): each pair of neighbouring words
    # of the content once, "ke_hoach hoach_ngan", then the title's words marked, "_ke _hoach",
    # written by indexing.py (words.pairs_column) so that no trigger needs a function plain sqlite3
    # lacks; the FTS5 table search_words_pairs indexes them.
    pairs: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # recency, the tie-breaker



class SearchWordCount(db.Model):
    """SQLite only (empty on PostgreSQL, whose planner keeps statistics of the words column): how
    many rows of search_index hold each word of the content ("ke"), each pair ("ke_hoach") and each
    marked title word ("_ke"), kept by indexing.py as rows come and go, rebuilt by `search reindex`.
    words.sqlite_share reads it to choose a plan in a few lookups (the fts5vocab views walk a word's
    whole list: 27 ms of every common query at 100,000 pages, growing with the data)."""
    __tablename__ = "search_word_counts"

    term: Mapped[str] = mapped_column(Text, primary_key=True)
    doc: Mapped[int] = mapped_column(Integer)


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
]
SQLITE_FTS_DROP = ["DROP TRIGGER IF EXISTS search_index_au", "DROP TRIGGER IF EXISTS search_index_ad",
                   "DROP TRIGGER IF EXISTS search_index_ai", "DROP TABLE IF EXISTS search_fts_vocab",
                   "DROP TABLE IF EXISTS search_fts"]
PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"

# The word index (words.py). SQLite: a second FTS5 table over the same rows, whole words this time
# (unicode61 on the already folded text), with its per-column word counts.
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
    # The pairs, as PostgreSQL has them: a phrase of common words is found from its pairs (rare),
    # not from FTS5's position lists of its words (long: they grew with the data). Pairs need no
    # positions (detail=none: the smallest index); "_" joins a pair into one token.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words_pairs USING fts5("
    "pairs, content='search_index', content_rowid='id', tokenize=\"unicode61 tokenchars '_'\", detail='none')",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_words_pairs(rowid, pairs) VALUES (new.id, new.pairs); END",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_ad AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_words_pairs(search_words_pairs, rowid, pairs) VALUES ('delete', old.id, old.pairs); END",
    "CREATE TRIGGER IF NOT EXISTS search_words_pairs_au AFTER UPDATE OF pairs ON search_index BEGIN "
    "INSERT INTO search_words_pairs(search_words_pairs, rowid, pairs) VALUES ('delete', old.id, old.pairs); "
    "INSERT INTO search_words_pairs(rowid, pairs) VALUES (new.id, new.pairs); END",
    # How many rows hold each pair: a phrase whose pairs are all common is walked, not listed.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_words_pairs_vocab USING fts5vocab(search_words_pairs, 'row')",
]
SQLITE_WORDS_DROP = ["DROP TRIGGER IF EXISTS search_words_pairs_au", "DROP TRIGGER IF EXISTS search_words_pairs_ad",
                     "DROP TRIGGER IF EXISTS search_words_pairs_ai", "DROP TABLE IF EXISTS search_words_pairs_vocab",
                     "DROP TABLE IF EXISTS search_words_pairs",
                     "DROP TRIGGER IF EXISTS search_words_au", "DROP TRIGGER IF EXISTS search_words_ad",
                     "DROP TRIGGER IF EXISTS search_words_ai", "DROP TABLE IF EXISTS search_words_vocab",
                     "DROP TABLE IF EXISTS search_words"]
# PostgreSQL: the lexemes of a row, computed by the database itself (a stored generated column), so
# every INSERT ... SELECT of indexing.py and reindex fills it with no Python in the loop: the words
# of the text, each pair of neighbouring words as one lexeme ("ke_hoach": a phrase of common words
# is found from its pairs, which are rare), and the title's words as "t:ke". Words are runs of
# a-z and 0-9 of the folded text, as words.words() cuts a query. No positions and no text-search
# parser: the parser cost more than all the rest, and a phrase is checked on its few candidates.
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
PG_WORDS = [
    PG_LEXEMES,
    "ALTER TABLE search_index ADD COLUMN IF NOT EXISTS words tsvector "
    "GENERATED ALWAYS AS (search_lexemes(title, content)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_index_words ON search_index USING gin (words) "
    f"WITH ({', '.join(f'{name} = {value}' for name, value in GIN_PENDING.items())})",
]
PG_WORDS_DROP = ["DROP FUNCTION IF EXISTS search_lexemes(text, text)"]

# db.create_all (tests, a fresh development database) builds the same as the migration does.
_table = SearchEntry.__table__
event.listen(_table, "before_create", DDL(PG_EXTENSION).execute_if(dialect="postgresql"))
for _statement in SQLITE_FTS + SQLITE_WORDS:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_FTS_DROP + SQLITE_WORDS_DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in PG_WORDS:
    event.listen(_table, "after_create", DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))
for _statement in PG_WORDS_DROP:
    event.listen(_table, "after_drop", DDL(_statement).execute_if(dialect="postgresql"))
