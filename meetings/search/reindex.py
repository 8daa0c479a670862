"""Rebuilding the whole index from the stored texts, one kind at a time, in one transaction."""
from collections.abc import Callable

from sqlalchemy import delete, func, select, text

from meetings.calendar.models import Event
from meetings.dossiers.models import Document
from meetings.extensions import db
from meetings.search import indexing
from meetings.search.models import SearchEntry
from meetings.tasks.models import Conclusion, Minutes, Task

BATCH = 500


def reindex(progress: Callable[[str, int, int], None] = lambda kind, done, of: None) -> int:
    conn = db.session.connection()
    conn.execute(delete(SearchEntry.__table__))
    # SQLite's word counts: counted once at the end from the FTS5 tables, not row by row.
    conn.info[indexing.COUNTS_LATER] = True
    try:
        total = _rebuild(conn, progress)
    finally:
        conn.info.pop(indexing.COUNTS_LATER, None)
    db.session.commit()
    # Fresh statistics of the word column: PostgreSQL's planner reads from them whether a query is
    # common (walk the newest rows) or rare (ask the GIN index); autovacuum would come, but later.
    if db.engine.dialect.name == "postgresql":
        indexing.merge_pending(db.session.connection())  # what the last batches left in the GIN lists
        db.session.execute(text("ANALYZE search_index"))
        db.session.commit()
    return total


def _rebuild(conn, progress) -> int:
    steps = [("entry", select(Event.id), lambda c, ids: indexing.index_entries(c, ids, move_related=False)),
             ("document", select(Document.id), indexing.index_documents),
             ("conclusion", select(Conclusion.id), indexing.index_conclusions),
             ("task", select(Task.id), indexing.index_tasks),
             ("minutes", select(Minutes.meeting_id).where(Minutes.current.is_(True)).distinct(), indexing.index_minutes)]
    for kind, ids_query, index in steps:
        ids = list(conn.scalars(ids_query.order_by(*ids_query.selected_columns)))
        for start in range(0, len(ids), BATCH):
            index(conn, ids[start:start + BATCH])
            progress(kind, min(start + BATCH, len(ids)), len(ids))
        if not ids:
            progress(kind, 0, 0)
    indexing.refresh_counts(conn)
    return conn.scalar(select(func.count()).select_from(SearchEntry))
