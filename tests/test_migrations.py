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

# PostgreSQL: an empty schema in this worker's own test database, not a scratch database. DROP DATABASE
# forces a checkpoint, and with the other worker writing beside it that took up to 135 s of the suite.
SCRATCH_SCHEMA = "migration_check"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    if not PG_URL:
        require_or_skip("TEST_DATABASE_URL is not set: PostgreSQL migration check skipped")
    url = worker_database(PG_URL)
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
        # pg_trgm's operator classes live where the extension was made (public); the migration only
        # makes the extension if it is missing, so make it here once, outside the scratch schema.
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    # Every connection of the app sees the scratch schema first: the migrations' tables and
    # alembic_version land there, and public is still searched for the extension's operators.
    yield make_url(url).update_query_dict({"options": f"-csearch_path={SCRATCH_SCHEMA},public"}) \
        .render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
    server.dispose()


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
        with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # built in the empty scratch schema, not beside the tests' tables
                assert conn.execute(text("SELECT current_schema()")).scalar() == SCRATCH_SCHEMA
        upgrade()
        with db.engine.connect() as conn:
            # SQLite's FTS5 table for search (and its shadow tables) is made by raw DDL, beside the models,
            # and the trigram GIN index exists on PostgreSQL only (ddl_if, which Alembic does not read).
            engine_only = _not_fts if conn.dialect.name == "postgresql" else _sqlite_side
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": engine_only})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())

        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()

        upgrade()  # and up again: downgrade left nothing behind that blocks a re-run
        db.engine.dispose()
