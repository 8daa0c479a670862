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
"""
from collections import namedtuple
from typing import Callable

from sqlalchemy import Engine, Select, create_engine, event


class _Compiled:
    """The statement as one database's driver takes it: its SQL, how to order the parameters, and how
    to turn each column's raw value into what SQLAlchemy would give."""

    def __init__(self, statement: Select, engine: Engine):
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = list(compiled.positiontup) if compiled.positional else None
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items()}
        self.binders = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                        for name, bind in compiled.binds.items()}
        self.binders = {name: f for name, f in self.binders.items() if f is not None}
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in statement.selected_columns]
        self.processors = [(i, f) for i, f in enumerate(processors) if f is not None]
        self.row = namedtuple("Row", statement.selected_columns.keys(), rename=True)

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
        key = (type(engine.dialect), engine.dialect.paramstyle)
        compiled = self._compiled.get(key)
        if compiled is None:
            if self._statement is None:
                self._statement = self._build()
            compiled = self._compiled[key] = _Compiled(self._statement, engine)
        for attempt in range(2):
            connection = engine.raw_connection()  # from the pool, and back to it on close
            try:
                cursor = connection.cursor()
                try:
                    cursor.execute(compiled.sql, compiled.parameters(params))
                    raw = cursor.fetchone()
                finally:
                    cursor.close()
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
        return None if raw is None else compiled.make_row(raw)


def reader_engine(engine: Engine, options: dict) -> Engine:
    """The engine a RawSelect reads through. On PostgreSQL, a pool of its own beside the app's: its
    connections in autocommit and not pinged before use, so a read is one round trip to the server
    instead of four (BEGIN and SELECT 1 for the ping, the read, ROLLBACK when the connection goes back),
    which were most of a cached page's CPU there (psycopg's sends, waits and receives). A connection cut
    meanwhile is found by the read itself and replaced once (RawSelect.first). It is disposed with the
    app's engine (a restore, the end of a test). SQLite's file needs no connection of its own."""
    if engine.dialect.name != "postgresql":
        return engine
    options = {key: value for key, value in options.items() if key != "pool_pre_ping"}
    reader = create_engine(engine.url, isolation_level="AUTOCOMMIT", **options)
    event.listen(engine, "engine_disposed", lambda _engine: reader.dispose())
    return reader
