"""What this process already knows about the reading log and stamps, so that a tablet turning pages
of a document already opened asks the database nothing more and writes nothing (issue 18).

The log keeps its meaning (issue 21): a view once per reader and version, a stamped page once per
reader, page and office day; the stamp's time fixed at first issue. What is remembered here is only
ever a fact already in the database, so forgetting it (a restart, another process, the size cap) costs
one extra read, never a wrong answer. Kept per app: tests build one app per database.
"""
from flask import current_app
from sqlalchemy import text

from meetings.extensions import db

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


def commit_record() -> None:
    """Commit a reading-log row without waiting for the disk, on PostgreSQL: when 300 people open their
    copy at a meeting's start, each first open writes one row, and waiting for each WAL flush made the
    first opens twice as slow as the next ones. With synchronous_commit off for this one transaction a
    database crash can lose the last fraction of a second of view records (never half a row, never
    anything else); a view record is not worth a disk flush on the reader's critical path."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.commit()
