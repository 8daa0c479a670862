"""Keeping the search index current: in the same transaction as the change (a session hook after
each flush rewrites the rows of what changed), and rebuilt whole by `flask search reindex`.

Page texts stay in meeting_document_pages (text and folded); the index copies the folded text of
the current version only, so an old version is never found and no query has to ask which is current.
"""
from collections import Counter
from collections.abc import Callable

from sqlalchemy import Integer, Text, case, column, delete, event, insert, inspect, literal, select, text, values
from sqlalchemy.orm import Session

from meetings.calendar.models import Event
from meetings.dossiers.models import Document, DocumentPage, DocumentVersion
from meetings.search import words
from meetings.search.models import GIN_INDEXES, SearchEntry
from meetings.tasks.models import Conclusion, Minutes, Task
from meetings.text import fold_vietnamese

_T = SearchEntry.__table__


# SQLite's word counts (search_word_counts, read by words.sqlite_share to choose a plan): each row
# written or removed here adds or takes its words, pairs and marked title words, in the same
# transaction. A reindex sets this flag on its connection and counts once at the end (refresh_counts).
COUNTS_LATER = "search_counts_later"


def _counting(conn) -> bool:
    return conn.dialect.name == "sqlite" and not conn.info.get(COUNTS_LATER)


def _count(conn, counts: Counter, sign: int) -> None:
    if counts:
        conn.execute(text("INSERT INTO search_word_counts (term, doc) VALUES (:term, max(:doc, 0)) "
                          "ON CONFLICT (term) DO UPDATE SET doc = max(doc + :doc, 0)"),
                     [{"term": term, "doc": sign * n} for term, n in sorted(counts.items())])


def _delete(conn, *where) -> None:
    if _counting(conn):
        counts = Counter()
        for content, pairs in conn.execute(select(_T.c.content, _T.c.pairs).where(*where)):
            counts.update(words.counted_terms(content, pairs))
        _count(conn, counts, -1)
    conn.execute(delete(_T).where(*where))


def refresh_counts(conn) -> None:
    """search_word_counts rebuilt from the FTS5 tables themselves (their fts5vocab views read every
    list once): after a reindex, or to repair counts that rows written outside the app left behind."""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text("DELETE FROM search_word_counts"))
    conn.execute(text("INSERT INTO search_word_counts (term, doc) "
                      "SELECT term, doc FROM search_words_vocab WHERE col = 'content'"))
    conn.execute(text("INSERT INTO search_word_counts (term, doc) SELECT term, doc FROM search_words_pairs_vocab "
                      "WHERE true ON CONFLICT (term) DO UPDATE SET doc = excluded.doc"))


def _remove(conn, kind: str, ref_ids) -> None:
    if ref_ids:
        _delete(conn, _T.c.kind == kind, _T.c.ref_id.in_(list(ref_ids)))


def index_documents(conn, document_ids) -> None:
    """The pages of each document's current version; the title heads page 1, so a title word finds
    the document once, and every page carries the folded title for ranking. On PostgreSQL one
    INSERT ... SELECT for the whole batch: the page texts never pass through Python; on SQLite they
    do, once, for their word pairs (a trigger cannot cut them with plain sqlite3)."""
    _remove(conn, "document", document_ids)
    titles = [(id_, fold_vietnamese(title)) for id_, title in conn.execute(
        select(Document.id, Document.title).where(Document.id.in_(list(document_ids))))]
    if not titles:
        return
    folded = values(column("id", Integer), column("title", Text), name="folded_titles").data(titles).cte()
    pages = (select(literal("document"), Document.id, Document.meeting_id, Document.id, DocumentPage.page,
                    folded.c.title,
                    case((DocumentPage.page == 1, folded.c.title + literal(" ") + DocumentPage.folded),
                         else_=DocumentPage.folded),
                    Event.start_at)
             .join(DocumentVersion, DocumentVersion.id == DocumentPage.version_id)
             .join(Document, (Document.id == DocumentVersion.document_id)
                   & (DocumentVersion.number == Document.current_version))
             .join(folded, folded.c.id == Document.id)
             .join(Event, Event.id == Document.meeting_id))
    names = ["kind", "ref_id", "meeting_id", "document_id", "page", "title", "content", "at"]
    if conn.dialect.name == "sqlite":
        _insert(conn, [dict(zip(names, row)) for row in conn.execute(pages)])
    else:
        conn.execute(insert(_T).from_select(names, pages))


def index_entries(conn, event_ids, move_related: bool = True) -> int:
    _remove(conn, "entry", event_ids)
    rows = [{"kind": "entry", "ref_id": id_, "meeting_id": id_, "title": fold_vietnamese(title),
             "content": folded or fold_vietnamese(title), "at": start}
            for id_, title, folded, start in conn.execute(
                select(Event.id, Event.title, Event.search_folded, Event.start_at).where(Event.id.in_(list(event_ids))))]
    # A moved meeting moves its documents and minutes in time too.
    for row in rows if move_related else ():
        conn.execute(_T.update().where(_T.c.meeting_id == row["ref_id"], _T.c.kind.in_(("document", "minutes")))
                     .values(at=row["at"]))
    return _insert(conn, rows)


def index_conclusions(conn, conclusion_ids) -> int:
    _remove(conn, "conclusion", conclusion_ids)
    return _insert(conn, [
        {"kind": "conclusion", "ref_id": id_, "meeting_id": meeting_id, "title": "", "content": fold_vietnamese(text),
         "at": created}
        for id_, meeting_id, text, created in conn.execute(
            select(Conclusion.id, Conclusion.meeting_id, Conclusion.text, Conclusion.created_at)
            .where(Conclusion.id.in_(list(conclusion_ids))))])


def index_tasks(conn, task_ids) -> int:
    _remove(conn, "task", task_ids)
    return _insert(conn, [
        {"kind": "task", "ref_id": id_, "meeting_id": meeting_id, "title": fold_vietnamese(title),
         "content": fold_vietnamese(f"{title} {report or ''}"), "at": created}
        for id_, meeting_id, title, report, created in conn.execute(
            select(Task.id, Task.meeting_id, Task.title, Task.report_text, Task.created_at)
            .where(Task.id.in_(list(task_ids))))])


def index_minutes(conn, meeting_ids) -> int:
    """The current version of each meeting's minutes (a superseded one is history, not a hit)."""
    if meeting_ids:
        _delete(conn, _T.c.kind == "minutes", _T.c.meeting_id.in_(list(meeting_ids)))
    return _insert(conn, [
        {"kind": "minutes", "ref_id": id_, "meeting_id": meeting_id, "title": "", "content": fold_vietnamese(body),
         "at": start}
        for id_, meeting_id, body, start in conn.execute(
            select(Minutes.id, Minutes.meeting_id, Minutes.body, Event.start_at)
            .join(Event, Event.id == Minutes.meeting_id)
            .where(Minutes.meeting_id.in_(list(meeting_ids)), Minutes.current.is_(True)))])


def _insert(conn, rows: list[dict]) -> int:
    if rows and conn.dialect.name == "sqlite":  # PostgreSQL's tsvector computes its own pairs
        counts = Counter()
        for row in rows:
            row["pairs"] = words.pairs_column(row["title"], row["content"])
            if _counting(conn):
                counts.update(words.counted_terms(row["content"], row["pairs"]))
        _count(conn, counts, +1)
    if rows:
        conn.execute(insert(_T), rows)
    return len(rows)


# What of a document its rows are made of: a change of anything else (its processing's progress,
# committed each few percent, its audience) re-wrote every one of its pages' rows.
_DOCUMENT_INDEXED = ("title", "current_version", "meeting_id")


class _Changes:
    """What a flush touched, by kind: ids to re-index and ids whose rows go."""

    def __init__(self):
        self.documents, self.entries, self.conclusions, self.tasks, self.minutes = set(), set(), set(), set(), set()
        self.gone: dict[str, set] = {"document": set(), "entry": set(), "conclusion": set(), "task": set()}

    def collect(self, session: Session) -> None:
        versions = set()
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, Document):
                if obj in session.new or any(inspect(obj).attrs[name].history.has_changes() for name in _DOCUMENT_INDEXED):
                    self.documents.add(obj.id)
            elif isinstance(obj, DocumentVersion):
                self.documents.add(obj.document_id)
            elif isinstance(obj, DocumentPage):
                versions.add(obj.version_id)
            elif isinstance(obj, Event):
                self.entries.add(obj.id)
            elif isinstance(obj, Conclusion):
                self.conclusions.add(obj.id)
            elif isinstance(obj, Task):
                self.tasks.add(obj.id)
            elif isinstance(obj, Minutes):
                self.minutes.add(obj.meeting_id)
        for obj in session.deleted:
            kind = {Document: "document", Event: "entry", Conclusion: "conclusion", Task: "task"}.get(type(obj))
            if kind:
                self.gone[kind].add(obj.id)
            if isinstance(obj, Minutes):
                self.minutes.add(obj.meeting_id)
        if versions:  # 200 new pages are one document to re-index, found in one query
            self.documents.update(session.connection().scalars(
                select(DocumentVersion.document_id).where(DocumentVersion.id.in_(versions))))

    def apply(self, conn) -> None:
        for kind, ids in self.gone.items():
            _remove(conn, kind, ids)
        if self.gone["entry"]:  # what hangs off a removed entry goes with it
            _delete(conn, _T.c.meeting_id.in_(list(self.gone["entry"])))
        steps: list[tuple[set, Callable]] = [
            (self.entries - self.gone["entry"], index_entries),
            (self.documents - self.gone["document"] - {None}, index_documents),
            (self.conclusions - self.gone["conclusion"], index_conclusions),
            (self.tasks - self.gone["task"], index_tasks), (self.minutes - {None}, index_minutes)]
        for ids, index in steps:
            if ids:
                index(conn, ids)


def _after_flush(session: Session, _context) -> None:
    changes = _Changes()
    changes.collect(session)
    conn = session.connection()
    changes.apply(conn)
    if changes.documents and conn.dialect.name == "postgresql":
        from meetings import jobs

        jobs.enqueue_after_commit(MERGE_JOB, session=session)


MERGE_JOB = "search_merge_pending"


def merge_pending(conn) -> int:
    """PostgreSQL: what waits in the GIN indexes' pending lists merged into them in bulk (see
    models.GIN_PENDING); the pages merged. SQLite's FTS5 has no such list: 0."""
    if conn.dialect.name != "postgresql":
        return 0
    return sum(conn.scalar(text(f"SELECT gin_clean_pending_list('{name}'::regclass)")) for name in GIN_INDEXES)


def init_app(app) -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
