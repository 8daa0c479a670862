"""Counting the hits of a query of words up to a bound, on both engines, with the caller's access
asked before a row's text; and the two SQL pieces the word index shares with the counts (asking
conditions in order, FTS5's word table joined in)."""
from dataclasses import dataclass

from sqlalchemy import and_, case, column, false, func, literal, literal_column, or_, select, table, true
from sqlalchemy.sql import ColumnElement

from meetings.search.models import SearchEntry

_fts = table("search_words", column("rowid"))


def lazily(*conditions) -> ColumnElement[bool]:
    """Every condition, asked in order and no further than the first that fails. SQLite codes a
    WHERE term holding a subquery (the access clause) after the others, and an AND inside an
    expression evaluates both sides: nested CASEs are the one order it keeps."""
    result = case((conditions[-1], true()), else_=false())
    for condition in reversed(conditions[:-1]):
        result = case((condition, result), else_=false())
    return result


def fts_join(statement, expression: str):
    """`statement` driven by FTS5: every match listed first, then joined to the rows."""
    return statement.join(_fts, _fts.c.rowid == SearchEntry.id).where(
        literal_column("search_words").op("MATCH")(literal(expression)))


# A count of a common query reads at most this many matches (SQLite) or rows (PostgreSQL): each one's
# row is read to ask whether the caller may read it, and a member who reads one meeting in twenty
# would otherwise read some 20,000 rows (40,000 matches) to reach "more than 1,000". Past it the
# total is a lower bound.
COUNT_CANDIDATES = 10_000


@dataclass(frozen=True)
class PgCount:
    """PostgreSQL's count of a query of words, up to the bound. A common one is counted with the
    caller's access asked first in one CASE, as its walk is, over the newest COUNT_CANDIDATES rows
    the filters let through (past them the total is a lower bound, as SQLite's), and stops at the
    bound. A member who reads one meeting in twenty had some 35,000 rows read to reach "more than
    1,000" (35-75 ms at 100,000 pages, most of his search); whoever reads most rows still reaches
    the bound within them. A rare one is left to the planner (GIN lists its few matches) and
    counted exactly."""
    condition: ColumnElement[bool]
    common: bool

    def count(self, session, where, bound: int) -> tuple[int, bool]:
        if not self.common:
            counted = session.scalar(select(func.count()).select_from(
                select(SearchEntry.id).where(*where, self.condition).limit(bound + 1).subquery()))
            return min(counted, bound), counted > bound
        # The newest COUNT_CANDIDATES rows the filters let through (a kind, a meeting, a document,
        # dates, a leader, a unit) are read, in the order the ranks walk (newest first, then id);
        # a filter with fewer rows is read whole, so a reader's search in one document whose rows are
        # old is counted exactly. The first ids were read before: the oldest rows, and after a reindex,
        # which writes every calendar entry before the documents, at a million pages they held no page
        # at all: a query on 730,000 pages was "more than 21". A filter's rows were all read: the
        # search page's group of entries read 70,000 at a million pages (218 ms). Their edge is found
        # in one walk of an index (the time's, or a kind's).
        access, *filters = where or [true()]
        within = []
        edge = session.execute(select(SearchEntry.at, SearchEntry.id).where(*filters)
                               .order_by(SearchEntry.at.desc(), SearchEntry.id).offset(COUNT_CANDIDATES - 1).limit(2)).all()
        if len(edge) == 2:  # more rows than the window: those past it are not read
            at, last = edge[0]
            within = [or_(SearchEntry.at > at, and_(SearchEntry.at == at, SearchEntry.id <= last))]
        counted = session.scalar(select(func.count()).select_from(
            select(SearchEntry.id).where(*within, *filters, lazily(access, self.condition))
            .limit(bound + 1).subquery()))
        return min(counted, bound), counted > bound or bool(within)


@dataclass(frozen=True)
class Candidates:
    """SQLite's count of a query of words: FTS5 yields the matches in the order it finds them (no
    sorting), the first COUNT_CANDIDATES of them are asked whether the caller may read them, and the
    count stops at its bound. (total, is a lower bound)."""
    expression: str

    def __call__(self, statement):
        return fts_join(statement, self.expression)

    def count(self, session, where, bound: int) -> tuple[int, bool]:
        matches = (select(_fts.c.rowid.label("id")).select_from(_fts)
                   .where(literal_column("search_words").op("MATCH")(literal(self.expression)))
                   .limit(COUNT_CANDIDATES + 1).subquery())
        first = select(matches.c.id).limit(COUNT_CANDIDATES).subquery()
        visible = (select(SearchEntry.id).join(first, first.c.id == SearchEntry.id).where(*where)
                   .limit(bound + 1).subquery())
        counted = session.scalar(select(func.count()).select_from(visible))
        if counted > bound:
            return bound, True
        # Fewer than the bound among the first candidates: exact only if there were no more.
        return counted, session.scalar(select(func.count()).select_from(matches)) > COUNT_CANDIDATES
