"""A SELECT compiled once per database and run straight on the driver's cursor, for the one read that
every page turn makes (meetings.dossiers.snapshot; issue 18: a cached page image or copy costs at most
twice the health check).

Why not `connection.execute(statement)`: measured with callgrind on that 31-column statement,
SQLAlchemy's execution (its execution context, its result object and the statement's cache key, each
built again on every call) is about 580,000 instructions; the driver's own execute and fetch of the
same compiled SQL, with the connection still checked out of SQLAlchemy's pool, about 180,000. The
statement is still built with SQLAlchemy (so it is the same SQL on SQLite and PostgreSQL) and its
columns still go through their types' result processors (UTCDateTime, Boolean), so a row reads exactly
as SQLAlchemy would have returned it. What is given up is SQLAlchemy's cursor events: nothing of ours
listens to them, and tests count these statements through `RawSelect.executed` (see tests/ops).

On PostgreSQL through psycopg the statement goes one level lower still, to libpq, prepared once per
connection (_fetch_libpq), on a pool of its own in autocommit (reader_engine): one round trip a read.
The same pool writes a first open's reading-log row in one INSERT (meetings.dossiers.seen_once).
"""
import hashlib
import threading
from collections import namedtuple
from typing import Callable

from flask import current_app
from sqlalchemy import Engine, Select, create_engine, event

from meetings.extensions import db

try:  # the driver behind postgresql+psycopg; absent, PostgreSQL is read through the cursor as elsewhere
    from psycopg import errors as pg_errors
    from psycopg.adapt import Transformer
    from psycopg.pq import ConnStatus, ExecStatus
except ImportError:  # pragma: no cover - psycopg is in requirements.txt
    Transformer = None


class _Compiled:
    """The statement as one database's driver takes it: its SQL, how to order the parameters, and how
    to turn each column's raw value into what SQLAlchemy would give."""

    def __init__(self, statement: Select, engine: Engine):
        dialect = engine.dialect
        self.libpq = Transformer is not None and dialect.driver == "psycopg"
        if self.libpq:  # $1, $2… as libpq takes them (psycopg's cursor rewrites %(name)s each call)
            dialect = type(dialect)(paramstyle="numeric_dollar")
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = list(compiled.positiontup) if compiled.positional else None
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items()}
        self.binders = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                        for name, bind in compiled.binds.items()}
        self.binders = {name: f for name, f in self.binders.items() if f is not None}
        columns = getattr(statement, "selected_columns", None)  # none for an INSERT (RawSelect.write)
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns or ()]
        self.processors = [(i, f) for i, f in enumerate(processors) if f is not None]
        self.row = namedtuple("Row", columns.keys(), rename=True) if columns is not None else None
        self.sql_bytes = self.sql.encode()
        self.name = b"meetings_" + hashlib.sha1(self.sql_bytes).hexdigest()[:16].encode()  # the prepared name

    def parameters(self, given: dict):
        values = {**self.defaults, **given}
        for name, bind in self.binders.items():
            values[name] = bind(values[name])
        return [values[name] for name in self.order] if self.order is not None else values

    def make_row(self, raw) -> tuple:
        values = list(raw)
        for i, process in self.processors:
            values[i] = process(values[i])
        return self.row._make(values)


class RawSelect:
    """`RawSelect(build).first(engine, params)`: the first row of the statement `build()` returns, with
    attribute access by label, or None. Built and compiled on first use for each kind of database."""

    def __init__(self, build: Callable[[], Select]):
        self._build = build
        self._statement: Select | None = None
        self._compiled: dict[tuple, _Compiled] = {}
        self.executed = 0  # how many times it ran in this process: what tests count

    def first(self, engine: Engine, params: dict):
        compiled = self._compiled_for(engine)
        raw = self._run(engine, compiled, params)
        return None if raw is None else compiled.make_row(raw)

    def write(self, engine: Engine, params: dict) -> None:
        """Run an INSERT or UPDATE `build()` returns, in one round trip on PostgreSQL's autocommit reader
        pool (its own transaction: see seen_once.commit_record)."""
        compiled = self._compiled_for(engine)
        if not compiled.libpq:
            raise RuntimeError("RawSelect.write is for PostgreSQL through psycopg")
        self._run(engine, compiled, params)

    def _compiled_for(self, engine: Engine) -> _Compiled:
        key = (type(engine.dialect), engine.dialect.paramstyle)
        compiled = self._compiled.get(key)
        if compiled is None:
            # Once per process, by one thread: at a meeting's start 300 requests arrive together at a
            # process that has not yet read a document, and each would build and compile it again.
            with _FIRST_USE:
                compiled = self._compiled.get(key)
                if compiled is None:
                    if self._statement is None:
                        self._statement = self._build()
                    compiled = self._compiled[key] = _Compiled(self._statement, engine)
        return compiled

    def _run(self, engine: Engine, compiled: _Compiled, params: dict):
        fetch = _fetch_libpq if compiled.libpq else _fetch_cursor
        for attempt in range(2):
            connection = engine.raw_connection()  # from the pool, and back to it on close
            try:
                raw = fetch(connection, compiled, params)
            except engine.dialect.loaded_dbapi.Error as error:
                # A pool that does not ping before use (reader_engine) finds a connection that a database
                # restart or a firewall cut only now: it is dropped and the read made once more on a new one.
                if attempt == 0 and engine.dialect.is_disconnect(error, connection.dbapi_connection, None):
                    connection.invalidate(error)
                    continue
                raise
            finally:
                connection.close()
            break
        self.executed += 1
        return raw


def _fetch_cursor(connection, compiled: _Compiled, params: dict):
    cursor = connection.cursor()
    try:
        cursor.execute(compiled.sql, compiled.parameters(params))
        return cursor.fetchone()
    finally:
        cursor.close()


def _fetch_libpq(connection, compiled: _Compiled, params: dict):
    """The same read through psycopg's libpq wrapper, below its cursor, as a statement prepared once per
    connection. Measured on the snapshot's statement: PostgreSQL plans its seven joins in about 0.7 ms
    of its own CPU each time it is not prepared (0.87 ms a read against 0.14 ms prepared, on this
    machine), which 300 tablets at once pay on the same cores; and the cursor's execute and fetch (its
    generators, waits, query rewriting and result bookkeeping) cost about 120 µs of the app's CPU a
    read, libpq's PQexecPrepared with psycopg's own loaders about 80 µs with the pool's checkout.
    Parameters go as text (ints and strings, which the statement casts to its columns' types); the row
    is loaded by psycopg's Transformer, so the values are what its cursor would give. libpq releases
    the GIL while it waits. An error comes back as psycopg's exception for it (a lost connection as
    OperationalError, which first() replaces)."""
    driver = connection.dbapi_connection
    info = connection.info  # kept for the life of this database connection, cleared when it is replaced
    loader = info.get("meetings.loader")
    if loader is None:
        loader = info["meetings.loader"] = Transformer(driver)
        info["meetings.prepared"] = set()
    prepared = info["meetings.prepared"]
    if compiled.name not in prepared:
        _check(driver, driver.pgconn.prepare(compiled.name, compiled.sql_bytes))
        prepared.add(compiled.name)
    values = [None if value is None else str(value).encode() for value in compiled.parameters(params)]
    result = _check(driver, driver.pgconn.exec_prepared(compiled.name, values))
    if not result.ntuples:
        return None
    loader.set_pgresult(result)
    return loader.load_row(0, tuple)


def _check(driver, result):
    if result.status not in (ExecStatus.TUPLES_OK, ExecStatus.COMMAND_OK):
        if driver.pgconn.status == ConnStatus.BAD:
            raise pg_errors.OperationalError(driver.pgconn.get_error_message() or "connection lost")
        raise pg_errors.error_from_result(result, encoding=driver.info.encoding)
    return result


def reader_engine(engine: Engine, options: dict) -> Engine:
    """The engine a RawSelect reads through. On PostgreSQL, a pool of its own beside the app's: its
    connections in autocommit and not pinged before use, so a read is one round trip to the server
    instead of four (BEGIN and SELECT 1 for the ping, the read, ROLLBACK when the connection goes back),
    which were most of a cached page's CPU there (psycopg's sends, waits and receives). A connection cut
    meanwhile is found by the read itself and replaced once (RawSelect.first). It is disposed with the
    app's engine (a restore, the end of a test). SQLite's file needs no connection of its own."""
    if engine.dialect.name != "postgresql":
        return engine
    options = {key: value for key, value in options.items() if key not in ("pool_pre_ping", "pool_reset_on_return")}
    # Its only writes are reading-log rows (meetings.dossiers.seen_once.commit_record), each its own
    # transaction: a view record is not worth waiting for a WAL flush on the reader's critical path.
    connect_args = dict(options.pop("connect_args", {}))
    connect_args["options"] = f"{connect_args.get('options', '')} -c synchronous_commit=off".strip()
    # In autocommit there is never a transaction to roll back when a connection goes back to the pool.
    reader = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                           connect_args=connect_args, **options)
    event.listen(engine, "engine_disposed", lambda _engine: reader.dispose())
    return reader


def current_reader_engine() -> Engine:
    """The current app's reader_engine, made once per app (Flask-SQLAlchemy's db.engine looks the app's
    engine up on every use)."""
    extensions = current_app.extensions
    engine = extensions.get("meetings.reader_engine")
    if engine is None:
        with _FIRST_USE:  # one engine and pool per app, not one per thread of the first burst
            engine = extensions.get("meetings.reader_engine")
            if engine is None:
                engine = extensions["meetings.reader_engine"] = reader_engine(
                    db.engine, current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    return engine


_FIRST_USE = threading.RLock()  # what is made once per process or app, on first use
