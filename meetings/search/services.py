"""One search over documents, the schedule, conclusions, tasks and minutes: matched by the engine
layer, access and filters as conditions of the same SQL, ranked (title over body, the exact phrase
over scattered words, recent first among equals), paged by cursor, counted up to a bound."""
import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, text

from meetings.calendar.models import EventLeader, EventParticipant
from meetings.errors import ValidationFailed
from meetings.extensions import db
from meetings.search import engine, words
from meetings.search.access import visible_rows
from meetings.search.models import KINDS, SearchEntry
from meetings.search.query import Query, parse
from meetings.tasks.models import Task, TaskCooperatingUnit
from meetings.timeutil import app_zone, in_range

COUNT_BOUND = 1000  # past this the total is "more than 1000": counting further costs more than it tells
MAX_LIMIT = 100
TITLE, PHRASE, MATCH = 4, 2, 1  # the parts of a score
WORDS, SUBSTRINGS = 1, 0  # how the query was matched (kept in the cursor, so that paging stays in one mode)


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    kinds: tuple[str, ...] = KINDS
    date_from: date | None = None  # local dates in the app's zone, both included
    date_to: date | None = None
    leader_id: int | None = None
    unit_id: int | None = None
    meeting_id: int | None = None
    document_id: int | None = None  # the documents search of one meeting's reader, say
    limit: int = 20
    cursor: str | None = None


@dataclass
class Found:
    rows: list[tuple[SearchEntry, int]]  # (row, score), best first
    query: Query
    next_cursor: str | None = None
    total: int = 0
    total_is_estimate: bool = False
    extra: dict = field(default_factory=dict)


def search(user, criteria: Criteria) -> Found:
    query = parse(criteria.q)
    if not query or not criteria.kinds:
        return Found([], query)
    after = _decode(criteria.cursor) if criteria.cursor else None

    # The caller's access clause (a dozen subqueries for a member: ~1.9 ms of Python to build) is
    # built once per search and shared by its statements; built anew for each, it cost a member's
    # rare code half its time. SQLAlchemy's statement cache settles on a few keys for a shared clause
    # and then finds every statement (a test checks it stops growing).
    dialect = db.engine.dialect.name
    shared = [visible_rows(user, criteria.kinds, dialect), *_filters(criteria)]

    def where() -> list:
        return list(shared)
    if dialect == "postgresql":
        # psycopg prepares a statement run five times, and PostgreSQL may then plan it once for any
        # words: a rare query would walk the time index as a common one does (0.8 s instead of 30 ms).
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    wq = words.of(query)
    # Whole words first (the word index); when no row holds the words as words, the query is asked
    # again as substrings (the trigram index): "zq-5" or "hoac" still find "ZQ-58" and "hoach".
    if wq is not None and (after is None or after[3] == WORDS):
        ranks, every = words.plan(db.session, dialect, wq, where)
        tiers = [(MATCH + TITLE * title + PHRASE * phrase, narrow) for title, phrase, narrow in ranks]
        found = _ranked(query, tiers, every, where, criteria.limit, after, WORDS)
        if found.rows or after is not None:
            return found
    common = engine.is_common(db.session, dialect, query.terms)

    def substrings(statement):
        return engine.restrict(statement, dialect, query.terms, common)

    tiers = [(value, lambda st, c=condition: substrings(st.where(*where())).where(c))
             for value, condition in _tiers(query)]
    return _ranked(query, tiers, substrings, where, criteria.limit, after, SUBSTRINGS)


def _ranked(query: Query, tiers, every, where, limit: int, after, mode: int) -> Found:
    """The score takes a few values: each is asked for in turn, newest first, and the asking stops
    once the page is full, so a common query never ranks every row it matches. Each tier's narrow
    adds the caller's `where()` (access and filters) itself; `every` does not."""
    rows: list[tuple[SearchEntry, int]] = []
    for value, narrow in tiers:
        if after and value > after[0]:
            continue
        statement = (narrow(select(SearchEntry)).order_by(SearchEntry.at.desc(), SearchEntry.id)
                     .limit(limit + 1 - len(rows)))
        if after and value == after[0]:
            statement = statement.where(or_(SearchEntry.at < after[1],
                                            and_(SearchEntry.at == after[1], SearchEntry.id > after[2])))
        rows += [(row, value) for row in db.session.scalars(statement)]
        if len(rows) > limit:
            break
    found = Found(rows[:limit], query)
    if len(rows) > limit:
        last, value = rows[limit - 1]
        found.next_cursor = _cursor(value, last, mode)
    if after is None and len(rows) <= limit:
        # Every rank was asked to its end: the page holds every hit, no count to make.
        found.total = len(rows)
        return found
    # Counted up to a bound: past it, "more than" tells as much as the exact number and costs far less.
    if hasattr(every, "count"):  # the word index's own way to count (counts.PgCount, counts.Candidates)
        counted, found.total_is_estimate = every.count(db.session, where(), COUNT_BOUND)
        found.total = max(counted, min(len(rows), COUNT_BOUND))  # a lower bound is at least what was found
        return found
    counted = db.session.scalar(select(func.count()).select_from(
        every(select(SearchEntry.id).where(*where())).limit(COUNT_BOUND + 1).subquery()))
    found.total, found.total_is_estimate = min(counted, COUNT_BOUND), counted > COUNT_BOUND
    return found


def _tiers(query: Query) -> list[tuple[int, object]]:
    """Substrings: (score, the condition of exactly that score), best first: TITLE when every term
    is in the title, PHRASE when the whole query occurs as one phrase, MATCH for any hit."""
    title = and_(*(engine.contains(SearchEntry.title, t) for t in query.terms))
    if " " in query.phrase and query.phrase not in query.terms:
        phrase = engine.contains(SearchEntry.content, query.phrase)
        return [(MATCH + TITLE + PHRASE, and_(title, phrase)), (MATCH + TITLE, and_(title, ~phrase)),
                (MATCH + PHRASE, and_(~title, phrase)), (MATCH, and_(~title, ~phrase))]
    return [(MATCH + TITLE, title), (MATCH, ~title)]


def _filters(criteria: Criteria) -> list:
    zone, clauses = app_zone(), []
    if criteria.kinds != KINDS:
        clauses.append(SearchEntry.kind.in_(criteria.kinds))
    if criteria.date_from:
        clauses.append(SearchEntry.at >= datetime.combine(criteria.date_from, time.min, zone))
    if criteria.date_to:
        clauses.append(SearchEntry.at < datetime.combine(criteria.date_to + timedelta(days=1), time.min, zone))
    if criteria.meeting_id:
        clauses.append(SearchEntry.meeting_id == criteria.meeting_id)
    if criteria.document_id:
        clauses.append(SearchEntry.document_id == criteria.document_id)
    if criteria.leader_id:
        led = select(EventLeader.event_id).where(EventLeader.user_id == criteria.leader_id)
        given = select(Task.id).where(Task.leader_id == criteria.leader_id)
        clauses.append(or_(SearchEntry.meeting_id.in_(led), and_(SearchEntry.kind == "task", SearchEntry.ref_id.in_(given))))
    if criteria.unit_id:
        taking_part = select(EventParticipant.event_id).where(EventParticipant.unit_id == criteria.unit_id)
        tasks = select(Task.id).where(or_(Task.unit_id == criteria.unit_id, Task.id.in_(
            select(TaskCooperatingUnit.task_id).where(TaskCooperatingUnit.unit_id == criteria.unit_id))))
        clauses.append(or_(and_(SearchEntry.kind != "task", SearchEntry.meeting_id.in_(taking_part)),
                           and_(SearchEntry.kind == "task", SearchEntry.ref_id.in_(tasks))))
    return clauses


# The cursor is the last row's place in the order (score, newest first, then id: a document's pages
# in their order): the next page starts after it, so a row added meanwhile neither repeats nor
# pushes another off a page.
def _cursor(score: int, row: SearchEntry, mode: int) -> str:
    raw = json.dumps([score, row.at.isoformat(), row.id, mode]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, datetime, int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, at, row_id, *rest = json.loads(raw)
        mode = rest[0] if rest else SUBSTRINGS  # a cursor given before the word index: substrings
        if len(rest) > 1 or type(mode) is not int or mode not in (WORDS, SUBSTRINGS):
            raise ValueError
        at = in_range(datetime.fromisoformat(at))
        if (at is None or type(value) is not int or type(row_id) is not int or at.tzinfo is None or not 0 <= value <= 100
                or not 0 < row_id < 2**31):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed({"cursor": _("Not a cursor this search gave.")}) from None
    return value, at, row_id, mode
