"""What this process already knows about the reading log and stamps, so that a tablet turning pages
of a document already opened asks the database nothing more and writes nothing (issue 18).

The log keeps its meaning (issue 21): a view once per reader and version, a stamped page once per
reader, page and office day; the stamp's time fixed at first issue. What is remembered here is only
ever a fact already in the database, so forgetting it (a restart, another process, the size cap) costs
one extra read, never a wrong answer. Kept per app: tests build one app per database.
"""
from flask import current_app
from sqlalchemy import bindparam, insert, text

from meetings.extensions import db
from meetings.rawselect import RawSelect, current_reader_engine

LIMIT = 200_000  # keys of ~100 bytes: a few tens of megabytes at most, then start again


def _store() -> dict:
    return current_app.extensions.setdefault("meetings.seen_once", {})


def known(key: tuple):
    """The remembered value for `key`, or None."""
    return _store().get(key)


def remember(key: tuple, value=True) -> None:
    store = _store()
    if len(store) >= LIMIT:
        store.clear()
    store[key] = value


def commit_record(model, values: dict) -> None:
    """Add and commit one reading-log row (a view, a page view) without waiting for the disk, on
    PostgreSQL: when 300 people open their copy at a meeting's start, each first open writes one row.

    When the request's session has nothing of its own under way (the first open of a copy made ahead:
    the one query said everything), the row is one INSERT on the reader pool, in autocommit with
    synchronous_commit off (meetings.rawselect.reader_engine): one round trip, instead of the session's
    five on the app's pool (the ping, BEGIN, SET LOCAL, INSERT, COMMIT), 300 threads sharing its 15
    connections. Otherwise it goes into the session's transaction and commits with what else is there,
    with synchronous_commit off for that transaction. Either way a database crash can lose the last
    fraction of a second of view records (never half a row, never anything else); a view record is not
    worth a disk flush on the reader's critical path."""
    session = db.session()  # the request's own Session (in_transaction is not proxied by scoped_session)
    alone = not session.in_transaction() and not (session.new or session.dirty or session.deleted)
    if alone and db.engine.dialect.driver == "psycopg":  # RawSelect.write goes through libpq
        key = (model, tuple(sorted(values)))
        statement = _INSERTS.get(key)
        if statement is None:
            table = model.__table__
            statement = _INSERTS[key] = RawSelect(lambda: insert(table).values(
                {name: bindparam(name, type_=table.c[name].type) for name in key[1]}))
        statement.write(current_reader_engine(), values)
        return
    session.add(model(**values))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    session.commit()


_INSERTS: dict = {}  # one INSERT per log model and set of columns, compiled on first use
