"""The word index: whole syllables of the folded text, the engine behind a query of whole words.

A query is cut into words (runs of letters and digits of the folded text, so "zq-58" is the two
words "zq 58" side by side, and "Kế hoạch" is "ke hoach"); the index answers, from one inverted
index per engine, the three questions ranking asks:
  - every word of the query in the title (a document's, an entry's, a task's),
  - the whole query as a phrase (its words side by side, in order) in the text,
  - every word of the query in the text (a quoted part as a phrase).

PostgreSQL: one stored `tsvector` column (`search_index.words`, computed by the function
`search_lexemes`, see models.py) with a GIN index. It holds the text's words, each pair of
neighbouring words as one lexeme ("ke_hoach"), and the title's words as "t:ke". A phrase is found
from its pairs (rare even when its words are common) and checked in order with a regular
expression on those candidates only. The column has statistics, so the planner knows a common query from a rare
one: for a common one it walks the recency index and stops after a page; for a rare one it asks GIN.

SQLite: an FTS5 table (`search_words`, columns title and content, tokenizer unicode61) over the same
rows, and a second one (`search_words_pairs`) over the pairs of neighbouring words that indexing.py
writes beside each row (`pairs_of`): a phrase is found from its pairs and checked in order on those
candidates, as on PostgreSQL, never from FTS5's position lists (long for common words: they grew
with the data). SQLite's planner cannot weigh an FTS5 match, so `sqlite_share` estimates the share
of matching rows from the per-word row counts in `search_words_vocab` (`pair_share` from
`search_words_pairs_vocab`), and the plan picks between walking the recency index (each row checked
on its own text with a regular expression) and asking FTS5 for all matches.
"""
import re
from dataclasses import dataclass

from sqlalchemy import and_, cast, column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import ColumnElement

from meetings.search.models import SearchEntry
from meetings.search.query import Query

_WORD = re.compile(r"[a-z0-9]+")  # as search_lexemes cuts the text (folded text is lower case)
_fts = table("search_words", column("rowid"))
_vocab = table("search_words_vocab", column("term"), column("col"), column("doc"))
_pairs = table("search_words_pairs", column("rowid"))
_pairs_vocab = table("search_words_pairs_vocab", column("term"), column("doc"))
# On SQLite, a condition expected in more than this share of the rows is common: walking the rows
# newest first (each checked on its own text) fills a page after some 20 / share rows, sooner than
# FTS5 lists and sorts every match.
COMMON_SHARE = 0.02


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _pairs_of_words(ws) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(ws, ws[1:])]


def pairs_of(content: str | None) -> str:
    """SQLite's `search_index.pairs` of a folded text: each pair of neighbouring words once, as
    PostgreSQL's search_lexemes makes them ("ke_hoach hoach_ngan")."""
    return " ".join(dict.fromkeys(_pairs_of_words(words(content or ""))))


@dataclass(frozen=True)
class WordQuery:
    """A query as words: `terms` (each a list of words that must stand side by side), the phrase
    (every word of the query, in order) and all its words."""
    terms: tuple[tuple[str, ...], ...]
    phrase: tuple[str, ...]

    @property
    def all_words(self) -> list[str]:
        return sorted({w for term in self.terms for w in term})

    @property
    def ranks_phrase(self) -> bool:
        """Is "the whole query as a phrase" more than "every term"? (not for one word or one quoted phrase)"""
        return len(self.phrase) > 1 and self.phrase not in self.terms


def of(query: Query) -> WordQuery | None:
    """The query in words; None when a term has no letter or digit (then only the substring
    search can answer it, e.g. "%" or "_")."""
    cut = [tuple(words(t)) for t in query.given or query.terms]
    if not cut or not all(cut):
        return None
    # A term whose words stand inside a longer term adds nothing ("ke" beside "ke hoach"); unlike
    # substrings, "an" is not inside "ban".
    terms = tuple(t for t in dict.fromkeys(cut) if not any(
        t != o and any(o[i:i + len(t)] == t for i in range(len(o))) for o in cut))
    return WordQuery(terms, tuple(words(query.phrase)))


# --- PostgreSQL: tsquery texts over search_index.words --------------------------------------------

def _pg_words(ws: tuple[str, ...]) -> tuple[str, str | None]:
    """(the tsquery of words side by side: their pairs, a regular expression that checks them in
    order on the rows the pairs give; None for one word)."""
    if len(ws) == 1:
        return f"'{ws[0]}'", None
    return " & ".join(f"'{a}_{b}'" for a, b in sorted(set(zip(ws, ws[1:])))), _bounded(ws)


def _pg(query: str) -> ColumnElement[bool]:
    return literal_column("search_index.words").op("@@")(cast(literal(query), TSQUERY))


# The order of a phrase is checked on the text as an expression (`content || ''`): pg_trgm can answer
# a regular expression from its index on `content`, and the planner, misjudging how many rows the
# phrase's trigrams give, took that road: 340,000 rows rechecked, 2 s, instead of the word pairs.
_unindexed_text = SearchEntry.content.op("||")(literal(""))


def _pg_all(parts: list[tuple[str, str | None]]) -> ColumnElement[bool]:
    return and_(_pg(" & ".join(f"({q})" for q, _ in parts)),
                *(_unindexed_text.op("~")(regex) for _, regex in parts if regex))


def pg_conditions(wq: WordQuery) -> dict[str, list[tuple[str, str | None]]]:
    """Each question as its parts (tsquery, regular expression or None), to be joined with AND."""
    return {"title": [(" & ".join(f"'t:{w}'" for w in wq.all_words), None)],
            "phrase": [_pg_words(wq.phrase)],
            "all": [_pg_words(t) for t in wq.terms]}


# --- SQLite: FTS5 expressions over search_words ----------------------------------------------------

def _fts_phrase(ws) -> str:
    return '"' + " ".join(ws) + '"'  # words are letters and digits only: nothing to escape


def fts_expressions(wq: WordQuery) -> dict[str, str]:
    return {"title": "title : (" + " AND ".join(_fts_phrase([w]) for w in wq.all_words) + ")",
            "all": "content : (" + " AND ".join(_fts_phrase(t) for t in wq.terms) + ")"}


def pairs_join(statement, ws: tuple[str, ...]):
    """`statement` driven by the pairs of `ws` (two words or more): the rows holding every pair,
    a superset of the phrase's rows (the order is checked on them with `row_checks`)."""
    expression = " AND ".join(_fts_phrase([p]) for p in sorted(set(_pairs_of_words(ws))))
    return statement.join(_pairs, _pairs.c.rowid == SearchEntry.id).where(
        literal_column("search_words_pairs").op("MATCH")(literal(expression)))


def fts_join(statement, expression: str):
    """`statement` driven by FTS5: every match listed first, then joined to the rows."""
    return statement.join(_fts, _fts.c.rowid == SearchEntry.id).where(
        literal_column("search_words").op("MATCH")(literal(expression)))


def _bounded(ws) -> str:
    """A regular expression of words side by side, as whole words (SQLAlchemy gives SQLite REGEXP)."""
    return "(^|[^a-z0-9])" + "[^a-z0-9]+".join(ws) + "([^a-z0-9]|$)"


def row_checks(wq: WordQuery) -> dict[str, ColumnElement[bool]]:
    """The same three questions asked of one row's own text: for a walk over the newest rows, where
    asking FTS5 row by row costs more than reading the row."""
    return {"title": and_(*(SearchEntry.title.regexp_match(_bounded([w])) for w in wq.all_words)),
            "phrase": SearchEntry.content.regexp_match(_bounded(wq.phrase)),
            "all": and_(*(SearchEntry.content.regexp_match(_bounded(t)) for t in wq.terms))}


def sqlite_share(session, wq: WordQuery, col: str) -> float:
    """The expected share of rows holding every word of `wq` in column `col`, from each word's row
    count in `search_words_vocab`, the words taken as independent (as PostgreSQL's planner does)."""
    rows = session.scalar(select(func.max(SearchEntry.id))) or 1
    counts = dict(session.execute(select(_vocab.c.term, _vocab.c.doc).where(
        _vocab.c.term.in_(wq.all_words), _vocab.c.col == col)).all())
    share = 1.0
    for w in wq.all_words:
        share *= min(1.0, counts.get(w, 0) / rows)
    return share


def pair_share(session, ws: tuple[str, ...]) -> float:
    """The expected share of rows holding every pair of `ws`, the pairs taken as independent (as
    sqlite_share takes words, and PostgreSQL's planner the lexemes of a tsquery). Taking the rarest
    pair as the share would be safer for phrases whose pairs go together, but a rare phrase of
    common pairs would then be walked over the whole table in search of rows that hardly exist."""
    rows = session.scalar(select(func.max(SearchEntry.id))) or 1
    pairs = set(_pairs_of_words(ws))
    counts = dict(session.execute(select(_pairs_vocab.c.term, _pairs_vocab.c.doc)
                                  .where(_pairs_vocab.c.term.in_(pairs))).all())
    share = 1.0
    for p in pairs:
        share *= min(1.0, counts.get(p, 0) / rows)
    return share


# --- the plan: each rank of the score as its own condition, and how to ask for it ------------------

def plan(session, dialect: str, wq: WordQuery) -> tuple[list[tuple[bool, bool, object]], object]:
    """([(in title, as a phrase, narrow)], narrow to every match): `narrow(statement)` restricts a
    statement over SearchEntry to the rows of exactly that rank, best rank first."""
    ranks = [(True, True), (True, False), (False, True), (False, False)] if wq.ranks_phrase else \
        [(True, False), (False, False)]
    if dialect == "postgresql":
        c = pg_conditions(wq)

        def pg_rank(title: bool, phrase: bool):
            # The phrase holds every term: with it, "all" would only add work.
            with_phrase = phrase and wq.ranks_phrase
            positive = (c["phrase"] if with_phrase else c["all"]) + (c["title"] if title else [])
            negative = ([] if title else [c["title"]]) + ([c["phrase"]] if wq.ranks_phrase and not phrase else [])
            return lambda st: st.where(_pg_all(positive), *(~_pg_all(n) for n in negative))

        return [(t, p, pg_rank(t, p)) for t, p in ranks], lambda st: st.where(_pg_all(c["all"]))
    e, check = fts_expressions(wq), row_checks(wq)
    shares: dict[str, float] = {}

    def common(col: str) -> bool:
        if col not in shares:
            shares[col] = pair_share(session, wq.phrase) if col == "pairs" else sqlite_share(session, wq, col)
        return shares[col] > COMMON_SHARE

    def sqlite_rank(title: bool, phrase: bool):
        with_phrase = phrase and wq.ranks_phrase
        # Not the phrase: checked on each candidate row's text, never asked of FTS5's position lists.
        not_phrase = [~check["phrase"]] if wq.ranks_phrase and not phrase else []
        if not with_phrase and common("title" if title else "content"):
            # Many rows match: walk the newest, each checked on its own text, until a page is full.
            conditions = [check["all"], check["title"] if title else ~check["title"], *not_phrase]
            return lambda st: st.where(*conditions)
        if title and not common("title"):
            # Few titles hold every word: FTS5 lists them from the short title lists alone (an AND
            # with the text's long lists reads those too), and the text is checked on those rows.
            checks = [check["phrase"] if with_phrase else check["all"], *not_phrase]
            return lambda st: fts_join(st, e["title"]).where(*checks)
        if with_phrase:
            # The phrase's pairs (rare even when its words are common) give the candidates, the order
            # and the title are checked on them; when even the rarest pair is on many rows, walk.
            checks = [check["phrase"], check["title"] if title else ~check["title"]]
            if common("pairs"):
                return lambda st: st.where(*checks)
            return lambda st: pairs_join(st, wq.phrase).where(*checks)
        # Few rows: FTS5 lists them, the page is sorted from them.
        expression = f"({e['all']})" + (f" AND ({e['title']})" if title else f" NOT ({e['title']})")
        return lambda st: fts_join(st, expression).where(*not_phrase)

    def sqlite_all(st):
        # Counting needs no order: FTS5 yields matches as it finds them and the count stops at its
        # bound, where a walk would read every row a member may not see on the way.
        return fts_join(st, e["all"])

    return [(t, p, sqlite_rank(t, p)) for t, p in ranks], sqlite_all
