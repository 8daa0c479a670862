"""The Alembic migrations build exactly the models' schema on an empty database, and undo cleanly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from meetings import create_app
from meetings.extensions import db
from tests.conftest import PG_URL, app_config, require_or_skip, worker_database
from tests.search.test_plan_costs import GIN_PENDING_LISTS, gin_options

@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """An empty database. On PostgreSQL a scratch database beside this worker's own, made once and
    emptied before each use, never dropped: DROP DATABASE forces a checkpoint, and with the other
    worker writing beside it that took up to 135 s of the suite. (A scratch schema in the worker's own
    database does not do: reflection sees every table on the search path, the tests' too.)"""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    if not PG_URL:
        require_or_skip("TEST_DATABASE_URL is not set: PostgreSQL migration check skipped")
    worker = make_url(worker_database(PG_URL))
    scratch = worker.set(database=f"{worker.database}_migrations")
    server = create_engine(worker, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": scratch.database}):
            conn.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    server.dispose()
    engine = create_engine(scratch, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # public with everything in it (pg_trgm too), made again empty
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield scratch.render_as_string(hide_password=False)


def _not_fts(obj, name, type_, reflected, compare_to) -> bool:
    # The word index is engine DDL too: the FTS5 tables on SQLite, the generated tsvector column and
    # its GIN index on PostgreSQL (meetings/search/models.py).
    return not ((type_ == "table" and name and name.startswith(("search_fts", "search_words")))
                or (type_ == "column" and name == "words" and getattr(obj, "table", None) is not None
                    and obj.table.name == "search_index") or (type_ == "index" and name == "ix_search_index_words"))


def _sqlite_side(obj, name, type_, reflected, compare_to) -> bool:
    return _not_fts(obj, name, type_, reflected, compare_to) and name != "ix_search_index_content_trgm"


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database, tmp_path):
    app = create_app(app_config(empty_database, tmp_path))
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []  # nothing there before the migrations
        upgrade()
        with db.engine.connect() as conn:
            # SQLite's FTS5 table for search (and its shadow tables) is made by raw DDL, beside the models,
            # and the trigram GIN index exists on PostgreSQL only (ddl_if, which Alembic does not read).
            engine_only = _not_fts if conn.dialect.name == "postgresql" else _sqlite_side
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": engine_only})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        if db.engine.dialect.name == "postgresql":  # index storage options, which compare_metadata does not read
            assert gin_options(db.engine) == GIN_PENDING_LISTS
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())

        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()

        upgrade()  # and up again: downgrade left nothing behind that blocks a re-run
        db.engine.dispose()
