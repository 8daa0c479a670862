"""Fixtures: every test runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set."""
import contextlib
import email
import email.policy
import logging
import os
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from psycopg.errors import DeadlockDetected, LockNotAvailable
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from flask import Flask
from flask.testing import FlaskClient

from meetings import create_app
from meetings.extensions import db
from tests.factories import Factories

CI = os.environ.get("CI") == "true"


class ClosingClient(FlaskClient):
    """The test client, reading every answer whole and closing it as a server does once it has sent
    it: generated files are answered with the open file (sendfile), which an unread, unclosed test
    response would leave open (a ResourceWarning, an error under filterwarnings)."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=True, **kwargs)


Flask.test_client_class = ClosingClient  # every app the tests make, whatever fixture made it
PG_URL = os.environ.get("TEST_DATABASE_URL")


def require_or_skip(reason: str):
    """Under CI a missing real part is a failure, never a skip; elsewhere a one-line skip."""
    if CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def app_config(url: str, tmp_path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MEETINGS_STORAGE": str(tmp_path / "storage"),
        "REDIS_URL": None,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt costs ~60 ms a user; tests make hundreds
    }
    config.update(overrides)
    return config


def worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (`test_gw0`, ...), made if missing,
    because every worker empties and rebuilds its tables while the others run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    name = f"{make_url(url).database}_{worker}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.only_on("postgresql")` marks a test of one engine's own machinery (libpq's prepared
    statements, say): on the other engine it is deselected, so that under CI no test is ever a skip."""
    kept, other_engine = [], []
    for item in items:
        mark = item.get_closest_marker("only_on")
        engine = getattr(item, "callspec", None) and item.callspec.params.get("database_url")
        (other_engine if mark and engine and engine != mark.args[0] else kept).append(item)
    if other_engine:
        config.hook.pytest_deselected(items=other_engine)
        items[:] = kept


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "test.db")
    else:
        if not PG_URL:
            require_or_skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
        url = worker_database(PG_URL)
    app = create_app(app_config(url, tmp_path_factory.mktemp("setup")))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield url
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # as clean_tables: never wait for ever on a lock
            with failing_on_a_lock_wait("dropping the tables"), db.engine.begin() as conn:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                db.metadata.drop_all(conn)
        else:
            db.drop_all()
        db.engine.dispose()


@contextlib.contextmanager
def served(app):
    """`app` served on 127.0.0.1 in a thread for a module's tests; its tables emptied afterwards."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns failures
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.session.remove()
            clean_tables()
            db.engine.dispose()


def clean_tables(attempts: int = 5) -> None:
    """Empty every table. A request thread of a server just shut down may still be finishing its
    transaction; PostgreSQL may then pick the cleaning as a deadlock's victim: it is tried again."""
    tables = db.metadata.sorted_tables
    for attempt in range(attempts):
        try:
            if db.engine.dialect.name == "postgresql":
                # DELETE in one round trip, not TRUNCATE: a TRUNCATE of every table makes new files for
                # each and cost 0.4-0.8 s per test (a third of the suite's PostgreSQL time); deleting the
                # few rows a test made costs ~5 ms. Sequences restart so that ids are as after TRUNCATE.
                statements = [f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"]
                statements += [f'DELETE FROM "{table.name}"' for table in reversed(tables)]
                statements.append("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'")
                db.session.connection().exec_driver_sql("; ".join(statements))
            else:
                for table in reversed(tables):
                    db.session.execute(table.delete())
            db.session.commit()
            return
        except OperationalError as error:
            db.session.rollback()
            if isinstance(error.orig, DeadlockDetected) and attempt < attempts - 1:
                continue
            with failing_on_a_lock_wait("emptying the tables"):
                raise


# A test's cleanup that waits this long for a lock waits for a transaction something left open: it
# fails, naming what holds it, instead of waiting for ever (a CI run once stopped at 2215 of 2217).
LOCK_WAIT = "60s"


@contextlib.contextmanager
def failing_on_a_lock_wait(what: str):
    """A lock_timeout met inside becomes the test's failure, naming every other connection."""
    try:
        yield
    except OperationalError as error:
        if isinstance(error.orig, LockNotAvailable):
            pytest.fail(f"{what} waited {LOCK_WAIT} for a lock: {lock_holders(db.engine.url)}")
        raise


def lock_holders(url) -> str:
    """Every other connection to this PostgreSQL database: its state, its transaction's age, its last
    statement and whom it waits for, for the failure's message."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT pid, application_name, state, now() - xact_start AS open_for, wait_event, "
                "pg_blocking_pids(pid) AS waits_for, left(query, 200) AS query FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).mappings().all()
    finally:
        engine.dispose()
    return "; ".join(str(dict(row)) for row in rows) or "no other connection"


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on this test's database with extra settings; tables are emptied afterwards."""
    apps = []

    def build(**overrides):
        app = create_app(app_config(database_url, tmp_path, **overrides))
        apps.append(app)
        return app

    yield build
    if apps:
        with apps[0].app_context():
            db.session.remove()
            clean_tables()
        for built in apps:  # each app's engine, and with it the snapshot's own pool (meetings.rawselect)
            with built.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factories(app):
    return Factories(app)


class AuthActions:
    """Sign a test client in and out, like the tutorial's `auth` fixture."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password=None):
        return self.client.post("/login", data={"email": user.email, "password": password or user.password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


# A real SMTP server (aiosmtpd) on 127.0.0.1 for e-mail tests, and an app that sends to it.

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp_server):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, MAIL_FROM="Văn phòng Bộ <vp@example.gov.vn>")
