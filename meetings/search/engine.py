"""The one engine-specific layer of search: how "the text contains every term" is asked.

PostgreSQL: LIKE '%term%' over the folded text, answered by the pg_trgm GIN index (any substring of
three characters or more, codes like "zq-58" included, with no word splitting to disagree with).
SQLite: the FTS5 trigram table, one MATCH with every term as a phrase; terms shorter than three
characters (which a trigram index cannot hold) are checked with LIKE on the rows it gives.
Everything else (access, filters, ranking, paging) is the same SQL on both.
"""
from sqlalchemy import and_, select, table, column, literal_column
from sqlalchemy.sql import ColumnElement

from meetings.search.models import SearchEntry
from meetings.search.query import like_pattern, parse

_fts = table("search_fts", column("rowid"))


def contains(col, term: str) -> ColumnElement[bool]:
    return col.like(like_pattern(term), escape="\\")


def matches(dialect: str, terms: tuple[str, ...]) -> ColumnElement[bool]:
    """A WHERE clause: SearchEntry.content holds every term."""
    if dialect != "sqlite":
        return and_(*(contains(SearchEntry.content, t) for t in terms))
    indexed = [t for t in terms if len(t) >= 3]
    clauses = [contains(SearchEntry.content, t) for t in terms if len(t) < 3]
    if indexed:
        expression = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
        candidates = select(_fts.c.rowid).where(literal_column("search_fts").op("MATCH")(expression))
        clauses.insert(0, SearchEntry.id.in_(candidates))
    return and_(*clauses)


def entry_ids_matching(dialect: str, q: str):
    """The ids of calendar entries whose text holds every term of `q` (None: `q` asks nothing)."""
    query = parse(q)
    if not query:
        return None
    return select(SearchEntry.ref_id).where(SearchEntry.kind == "entry", matches(dialect, query.terms))
