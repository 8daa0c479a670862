"""The one engine-specific layer of search: how "the text contains every term" is asked.

PostgreSQL: LIKE '%term%' over the folded text, answered by the pg_trgm GIN index (any substring of
three characters or more, codes like "zq-58" included, with no word splitting to disagree with).
SQLite: the FTS5 trigram table joined in, one MATCH with every term as a phrase; terms shorter than three
characters (which a trigram index cannot hold) are checked with LIKE on the rows it gives.
Everything else (access, filters, ranking, paging) is the same SQL on both.
"""
from sqlalchemy import column, func, literal_column, select, table
from sqlalchemy.sql import ColumnElement

from meetings.search.models import SearchEntry
from meetings.search.query import like_pattern, parse

_fts = table("search_fts", column("rowid"))


def contains(col, term: str) -> ColumnElement[bool]:
    return col.like(like_pattern(term), escape="\\")


# A query whose rarest trigram is in more rows than this is common: walking the rows newest first
# and testing each with LIKE finds a page of hits sooner than FTS5 can list every match.
COMMON_ROWS = 20_000


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def is_common(session, dialect: str, terms: tuple[str, ...]) -> bool:
    """SQLite only (PostgreSQL's planner weighs the trigram index against the time index itself).
    Each trigram's matches are counted up to COMMON_ROWS + 1, stopping at the first rare one: FTS5
    lists 20,000 in 0.6 ms. The fts5vocab view counted each trigram's whole list instead: 45-104 ms
    at a million pages for a common query's trigrams (a search of one kind that the words did not
    find asks again as substrings, so each of the search page's empty groups paid it)."""
    if dialect != "sqlite":
        return False
    grams = sorted({t[i:i + 3] for t in terms if len(t) >= 3 for i in range(len(t) - 2)})
    if not grams:
        return True  # only words under three letters: no trigram index can help
    for gram in grams:
        matches = (select(_fts.c.rowid).select_from(_fts).where(literal_column("search_fts").op("MATCH")(_phrase(gram)))
                   .limit(COMMON_ROWS + 1).subquery())
        if session.scalar(select(func.count()).select_from(matches)) <= COMMON_ROWS:
            return False
    return True


def restrict(statement, dialect: str, terms: tuple[str, ...], common: bool = False):
    """`statement` (over SearchEntry) narrowed to rows whose content holds every term. On SQLite the
    FTS table is joined in for a rare query, so the planner starts from the few rows it gives; a
    common one is tested row by row (see COMMON_ROWS)."""
    if dialect != "sqlite" or common:
        return statement.where(*(contains(SearchEntry.content, t) for t in terms))
    indexed = [t for t in terms if len(t) >= 3]
    short = [contains(SearchEntry.content, t) for t in terms if len(t) < 3]
    if indexed:
        expression = " AND ".join(_phrase(t) for t in indexed)
        statement = statement.join(_fts, _fts.c.rowid == SearchEntry.id).where(
            literal_column("search_fts").op("MATCH")(expression))
    return statement.where(*short) if short else statement


def entry_ids_matching(dialect: str, q: str):
    """The ids of calendar entries whose text holds every term of `q` (None: `q` asks nothing)."""
    query = parse(q)
    if not query:
        return None
    return restrict(select(SearchEntry.ref_id).where(SearchEntry.kind == "entry"), dialect, query.terms)
