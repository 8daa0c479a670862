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
expression on those candidates only. The column has statistics (pg_stats): `pg_frequencies` reads
them to tell a common rank (walked newest first, the caller's access asked before the words in one
CASE) from a rare one (left to the planner, which asks GIN).

SQLite: an FTS5 table (`search_words`, columns title and content, tokenizer unicode61) over the same
rows, and a second, position-less one (`search_words_pairs`) over what indexing.py writes beside each
row (`pairs_column`): the pairs of neighbouring words and the title's words marked "_ke" (PostgreSQL's
"t:ke"). A phrase is found from its pairs (rare even when its words are common) and checked in order
on those candidates, as on PostgreSQL, never from FTS5's position lists (long for common words: they
grew with the data); a title's words are found from their own short lists (a column filter of
`search_words` reads the content's long lists too, whose positions say the column). SQLite's
planner cannot weigh an FTS5 match, so `sqlite_share` estimates the share of matching rows from the
word counts of `search_word_counts` (how many rows hold each word, pair and title word: one small
table kept by indexing.py as rows come and go, and rebuilt by `search reindex`), and the plan picks
between walking the recency index (each row checked on its own text with a regular expression) and
asking FTS5 for all matches. Reading the counts costs a few index lookups, whatever the size of the
data (reading them from `search_words_vocab` walked each word's whole list: 27 ms of every common
query at 100,000 pages, growing with the data).
"""
import re
from dataclasses import dataclass

from sqlalchemy import and_, cast, column, func, literal, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import ColumnElement

from meetings.search.counts import Candidates, PgCount, fts_join, lazily  # noqa: F401  (fts_join: the bench)
from meetings.search.models import SearchEntry
from meetings.search.query import Query

_WORD = re.compile(r"[a-z0-9]+")  # as search_lexemes cuts the text (folded text is lower case)
_pairs = table("search_words_pairs", column("rowid"))
_counts = table("search_word_counts", column("term"), column("doc"))
TITLE_MARK = "_"  # "_ke": the word "ke" in the title, in search_words_pairs and search_word_counts
# On SQLite, a condition expected in more than this share of the rows is common: walking the rows
# newest first (each checked on its own text) fills a page after some 20 / share rows, sooner than
# FTS5 lists and sorts every match.
COMMON_SHARE = 0.02


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _pairs_of_words(ws) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(ws, ws[1:])]


def pairs_of(content: str | None) -> str:
    """Each pair of neighbouring words of a folded text once, as PostgreSQL's search_lexemes makes
    them ("ke_hoach hoach_ngan")."""
    return " ".join(dict.fromkeys(_pairs_of_words(words(content or ""))))


def title_tokens(title: str | None) -> list[str]:
    return [TITLE_MARK + w for w in dict.fromkeys(words(title or ""))]


def pairs_column(title: str | None, content: str | None) -> str:
    """SQLite's `search_index.pairs`: the content's pairs, then the title's words marked ("_ke"),
    each once; a pair ("ke_hoach") never starts with the mark, so the two cannot meet."""
    return " ".join(filter(None, (pairs_of(content), " ".join(title_tokens(title)))))


def counted_terms(content: str | None, pairs: str | None) -> set[str]:
    """What `search_word_counts` counts for one row: each word of its content, each token of its
    pairs column (pairs and marked title words), once per row, as FTS5 counts a row."""
    return set(words(content or "")) | set((pairs or "").split())


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


def _tsquery(parts: list[tuple[str, str | None]]) -> str:
    return " & ".join(f"({q})" for q, _ in parts)


def _pg_all(parts: list[tuple[str, str | None]]) -> ColumnElement[bool]:
    return and_(_pg(_tsquery(parts)), *(_unindexed_text.op("~")(regex) for _, regex in parts if regex))


# Newest first, in a form no index answers: a rank whose few rows GIN lists is then sorted, never
# walked along the time index. With the access in a CASE the planner guesses half the rows pass it
# (it guessed one row with the plain clauses) and walked the newest rows, reading each one's words:
# 8,096 rows for a member's five hits.
_listed_order = (SearchEntry.at + literal_column("interval '0 s'")).desc()


def _listed(statement):
    return statement.order_by(_listed_order)


def _in_one_case(where, *checks) -> list[ColumnElement[bool]]:
    """The filters of `where()` as plain conditions (for their indexes: one kind's rows, one
    document's), then the caller's access and `checks` in one CASE, asked in that order: a walk's
    conditions. A CASE even with no caller (a test of the plan alone): no index answers it."""
    clauses = where()
    return [*clauses[1:], lazily(*clauses[:1], *checks)]


def _access_first(where, *checks) -> list[ColumnElement[bool]]:
    """A listed rank's conditions: `checks` asked only of the rows the caller may read (a reader's
    search inside one document starts from that document's rows); with no caller, plain conditions."""
    return _in_one_case(where, *checks) if where() else list(checks)


def pg_conditions(wq: WordQuery) -> dict[str, list[tuple[str, str | None]]]:
    """Each question as its parts (tsquery, regular expression or None), to be joined with AND."""
    return {"title": [(" & ".join(f"'t:{w}'" for w in wq.all_words), None)],
            "phrase": [_pg_words(wq.phrase)],
            "all": [_pg_words(t) for t in wq.terms]}


# --- SQLite: FTS5 expressions over search_words ----------------------------------------------------

def _fts_phrase(ws) -> str:
    return '"' + " ".join(ws) + '"'  # words are letters and digits only: nothing to escape


def fts_expressions(wq: WordQuery) -> dict[str, str]:
    """"title" over search_words_pairs (the marked title words), "all" over search_words."""
    return {"title": " AND ".join(_fts_phrase([TITLE_MARK + w]) for w in wq.all_words),
            "all": "content : (" + " AND ".join(_fts_phrase(t) for t in wq.terms) + ")"}


def pairs_join(statement, ws: tuple[str, ...]):
    """`statement` driven by the pairs of `ws` (two words or more): the rows holding every pair,
    a superset of the phrase's rows (the order is checked on them with `row_checks`)."""
    expression = " AND ".join(_fts_phrase([p]) for p in sorted(set(_pairs_of_words(ws))))
    return statement.join(_pairs, _pairs.c.rowid == SearchEntry.id).where(
        literal_column("search_words_pairs").op("MATCH")(literal(expression)))


def title_join(statement, expression: str):
    """`statement` driven by the title words' lists in search_words_pairs (short: only the rows whose
    title holds the word)."""
    return statement.join(_pairs, _pairs.c.rowid == SearchEntry.id).where(
        literal_column("search_words_pairs").op("MATCH")(literal(expression)))


def _bounded(ws) -> str:
    """A regular expression of words side by side, as whole words (SQLAlchemy gives SQLite REGEXP)."""
    return "(^|[^a-z0-9])" + "[^a-z0-9]+".join(ws) + "([^a-z0-9]|$)"


def _holds(col, ws) -> ColumnElement[bool]:
    """`col` holds the words `ws` side by side: a LIKE first (SQLite's own C code: the row that
    lacks the letters is dropped without calling Python), then the regular expression (a Python
    function on SQLite) for whole words in order. Words are a-z and 0-9: nothing to escape."""
    return lazily(col.like("%" + "%".join(ws) + "%"), col.regexp_match(_bounded(ws)))


def row_checks(wq: WordQuery) -> dict[str, ColumnElement[bool]]:
    """The same three questions asked of one row's own text: for a walk over the newest rows, where
    asking FTS5 row by row costs more than reading the row."""
    return {"title": lazily(*(_holds(SearchEntry.title, [w]) for w in wq.all_words)),
            "phrase": _holds(SearchEntry.content, wq.phrase),
            "all": lazily(*(_holds(SearchEntry.content, t) for t in wq.terms))}


def _counts_of(session, terms) -> dict[str, int]:
    return dict(session.execute(select(_counts.c.term, _counts.c.doc).where(_counts.c.term.in_(sorted(terms)))).all())


def known_counts(session, wq: WordQuery) -> tuple[int, dict[str, int]]:
    """(the rows, the count of every term a plan of `wq` may ask): read once for a whole plan, two
    lookups (each column asked read them again: four to six small statements a search)."""
    terms = {*wq.all_words, *(TITLE_MARK + w for w in wq.all_words), *_pairs_of_words(wq.phrase)}
    return session.scalar(select(func.max(SearchEntry.id))) or 1, _counts_of(session, terms)


def _share(session, terms, known=None) -> float:
    """The expected share of rows holding every one of `terms`, from each one's row count in
    search_word_counts, taken as independent (as PostgreSQL's planner takes a tsquery's lexemes).
    `known`: what known_counts read, if it was."""
    rows, counts = known or (session.scalar(select(func.max(SearchEntry.id))) or 1, _counts_of(session, terms))
    share = 1.0
    for term in set(terms):
        share *= min(1.0, max(counts.get(term, 0), 0) / rows)
    return share


def sqlite_share(session, wq: WordQuery, col: str, known=None) -> float:
    """The expected share of rows holding every word of `wq` in column `col` (title or content)."""
    return _share(session, [TITLE_MARK + w if col == "title" else w for w in wq.all_words], known)


def pair_share(session, ws: tuple[str, ...], known=None) -> float:
    """The expected share of rows holding every pair of `ws`, the pairs taken as independent (as
    sqlite_share takes words). Taking the rarest pair as the share would be safer for phrases whose
    pairs go together, but a rare phrase of common pairs would then be walked over the whole table
    in search of rows that hardly exist."""
    return _share(session, _pairs_of_words(ws), known)


def pg_frequencies(session, lexemes) -> dict[str, float]:
    """PostgreSQL's own statistics of search_index.words (ANALYZE keeps them: `search reindex` runs
    it, autovacuum after): the share of rows holding each of `lexemes`. A lexeme outside the most
    common ones is on fewer rows than the least common of them: half that is taken. No statistics
    yet: every share 0 (the planner is left to choose, as before)."""
    row = session.execute(text(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'search_index' AND attname = 'words'")).first()
    if row is None or row[0] is None:
        return {}
    elements, freqs = row
    known = dict(zip(elements, freqs))
    floor = freqs[len(elements)] / 2 if len(freqs) > len(elements) else 0.0
    return {lexeme: known.get(lexeme, floor) for lexeme in lexemes}


def _product(freq: dict[str, float], lexemes) -> float:
    share = 1.0
    for lexeme in set(lexemes):
        share *= freq.get(lexeme, 0.0)
    return share


# --- the plan: each rank of the score as its own condition, and how to ask for it ------------------

def plan(session, dialect: str, wq: WordQuery, where=list) -> tuple[list[tuple[bool, bool, object]], object]:
    """([(in title, as a phrase, narrow)], narrow to every match): `narrow(statement)` restricts a
    statement over SearchEntry to the caller's rows (`where()`: the access clause, then the filters,
    built anew for each statement) of exactly that rank, best rank first; `every(statement)` to every match (the
    caller adds its `where()`)."""
    ranks = [(True, True), (True, False), (False, True), (False, False)] if wq.ranks_phrase else \
        [(True, False), (False, False)]
    if dialect == "postgresql":
        c = pg_conditions(wq)
        freq = pg_frequencies(session, [*wq.all_words, *(f"t:{w}" for w in wq.all_words),
                                        *_pairs_of_words(wq.phrase)])
        shares = {"content": _product(freq, wq.all_words), "title": _product(freq, [f"t:{w}" for w in wq.all_words]),
                  "pairs": _product(freq, _pairs_of_words(wq.phrase))}

        def pg_rank(title: bool, phrase: bool):
            # The phrase holds every term: with it, "all" would only add work.
            with_phrase = phrase and wq.ranks_phrase
            positive = (c["phrase"] if with_phrase else c["all"]) + (c["title"] if title else [])
            negative = ([] if title else [c["title"]]) + ([c["phrase"]] if wq.ranks_phrase and not phrase else [])
            conditions = [_pg_all(positive), *(~_pg_all(n) for n in negative)]
            share = (shares["pairs"] if with_phrase else shares["content"]) * (shares["title"] if title else 1)
            if title and not with_phrase and shares["title"] <= COMMON_SHARE < shares["content"]:
                # Few titles hold the words, most texts do: GIN reads the title words' short lists
                # alone (with the text's words it read their long lists too: 67 ms at a million
                # pages), the text is checked on those rows (in a CASE, which no index answers).
                rest = [_pg_all(c["all"]), *(~_pg_all(n) for n in negative)]
                return lambda st: _listed(st.where(_pg_all(c["title"]), *_access_first(where, lazily(*rest))))
            if share > COMMON_SHARE:
                # Many rows match: the planner walks the newest rows and stops after a page, but it
                # orders a row's conditions by their cost as it guesses it, and it guesses reading
                # the words (a TOASTed tsvector, ~10 µs a row) cheaper than the access clause: a
                # member's walk read the words of every row he may not read. In one CASE the access
                # comes first (and no index can answer a CASE: the walk is what is asked for). The
                # filters beside it, for their indexes (one kind's rows, one document's).
                return lambda st: st.where(*_in_one_case(where, *conditions))
            # Few rows match: GIN lists them from the lexemes alone; the access is asked of those rows
            # before the order of a phrase (a regular expression on the text) and the ranks above
            # (the words read again), which the planner put first: a member's phrase rank read the
            # text and words of 2,474 rows to keep the 105 he may read (48 ms at 100,000 pages).
            return lambda st: _listed(st.where(_pg(_tsquery(positive)), *_access_first(
                where, *(_unindexed_text.op("~")(regex) for _, regex in positive if regex),
                *(~_pg_all(n) for n in negative))))

        return [(t, p, pg_rank(t, p)) for t, p in ranks], PgCount(_pg_all(c["all"]), shares["content"] > COMMON_SHARE)
    e, check = fts_expressions(wq), row_checks(wq)

    def guarded(*checks) -> list:
        # The caller's rows first, then the text: SQLite would check the text of every row walked
        # (a Python function) before asking whether the caller may read it (a member may read one
        # meeting in twenty). The filters stay plain conditions, for their indexes: inside the CASE,
        # a search of one kind (the search page asks each kind on its own) walked every row of every
        # kind: 2.3 s to find no task among a million pages.
        return _in_one_case(where, *checks)
    shares: dict[str, float] = {}
    known: list = []

    def common(col: str) -> bool:
        if col not in shares:
            known[:] = known or [known_counts(session, wq)]
            shares[col] = (pair_share(session, wq.phrase, known[0]) if col == "pairs"
                           else sqlite_share(session, wq, col, known[0]))
        return shares[col] > COMMON_SHARE

    def sqlite_rank(title: bool, phrase: bool):
        with_phrase = phrase and wq.ranks_phrase
        # Not the phrase: checked on each candidate row's text, never asked of FTS5's position lists.
        not_phrase = [~check["phrase"]] if wq.ranks_phrase and not phrase else []
        if not with_phrase and common("title" if title else "content"):
            # Many rows match: walk the newest, each checked on its own text, until a page is full.
            conditions = guarded(check["all"], check["title"] if title else ~check["title"], *not_phrase)
            return lambda st: st.where(*conditions)
        if title and not common("title"):
            # Few titles hold every word: FTS5 lists them from the short title lists alone (an AND
            # with the text's long lists reads those too), and the text is checked on those rows.
            checks = guarded(check["phrase"] if with_phrase else check["all"], *not_phrase)
            return lambda st: title_join(st, e["title"]).where(*checks)
        if with_phrase:
            # The phrase's pairs (rare even when its words are common) give the candidates, the order
            # and the title are checked on them; when even the rarest pair is on many rows, walk.
            checks = guarded(check["phrase"], check["title"] if title else ~check["title"])
            if common("pairs"):
                return lambda st: st.where(*checks)
            return lambda st: pairs_join(st, wq.phrase).where(*checks)
        # Few rows: FTS5 lists them, the page is sorted from them (a title rank with few titles
        # was answered above; not in the title is checked on the rows).
        checks = guarded(~check["title"], *not_phrase)
        return lambda st: fts_join(st, e["all"]).where(*checks)

    return [(t, p, sqlite_rank(t, p)) for t, p in ranks], Candidates(e["all"])
