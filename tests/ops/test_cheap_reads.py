"""A repeated read of a cached page image costs a few reads and no write (issue 18: cheap reads)."""
import contextlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, literal_column, select, text, update

from meetings.auth.models import ApiToken
from meetings.config import ConfigError
from meetings import rawselect
from meetings.dossiers import seen_once, snapshot
from meetings.dossiers.models import Document, DocumentAccess
from meetings.dossiers.personal import prepare_document
from meetings.extensions import db
from tests.dossiers import pdfs
from tests.meetings.conftest import NOW, Board


@contextlib.contextmanager
def statements(app):
    """Every SQL statement the app sends while the block runs: through SQLAlchemy (its cursor events), and
    the snapshot's one SELECT, which goes to the driver's cursor directly (meetings.rawselect)."""
    sent = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    def raw():  # the log's INSERTs are compiled on first use, maybe inside the block
        return {**{f"SELECT (the snapshot, {kind})": query for kind, query in snapshot._QUERIES.items()},
                **{f"INSERT (a log row on the reader pool, {key[0].__name__})": query
                   for key, query in seen_once._INSERTS.items()}}

    runs_before = {label: query.executed for label, query in raw().items()}
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
        for label, query in raw().items():
            sent.extend([label] * (query.executed - runs_before.get(label, 0)))


@pytest.fixture
def board_for():
    return lambda app: Board(app, app.test_client())


@pytest.fixture
def meeting(board):
    return board.meeting()["id"]


@pytest.fixture
def restricted(board, meeting):
    return board.document(meeting, data=pdfs.text_pdf(3), title="Dự thảo", read_only="true")["id"]


def test_a_repeated_stamped_page_or_copy_costs_one_read_and_no_write(app, board, restricted):
    page, copy = f"/api/v1/documents/{restricted}/pages/1", f"/api/v1/documents/{restricted}/file"
    reader = {"X-Meetings-Reader": "pdfjs"}
    assert board.get(board.member, page).status_code == 200  # drawn, stamp issued, first view logged
    assert board.get(board.member, copy, headers=reader).status_code == 200
    for url, headers in ((page, {}), (copy, reader), (copy, {**reader, "Range": "bytes=0-99"})):
        with statements(app) as sent:
            again = board.get(board.member, url, headers=headers)
        assert again.status_code in (200, 206)
        # The token with its user, the document, its meeting, the reader's seat and the version: one query.
        assert len(sent) == 1 and sent[0].split()[0].upper() == "SELECT", sent


def test_a_first_open_of_a_copy_made_ahead_reads_once_and_writes_its_one_log_row(app, board, restricted):
    """What 300 participants do at a meeting's start: the copy and its stamp were made by the worker, so
    the first open is the one query (which also says the reader never opened it) and the view's row."""
    with app.app_context():
        prepare_document(db.session.get(Document, restricted), NOW)
        db.session.commit()
    assert board.get(board.member, "/api/v1/meetings").status_code == 200  # the token's use noted before counting
    with statements(app) as sent:
        first = board.get(board.member, f"/api/v1/documents/{restricted}/file", headers={"X-Meetings-Reader": "pdfjs"})
    assert first.status_code == 200
    kinds = [statement.split()[0].upper() for statement in sent if not statement.upper().startswith("SET LOCAL")]
    assert sorted(kinds) == ["INSERT", "SELECT"], sent  # the snapshot's SELECT and the log row
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Both on the reader pool, one round trip each: the session and the app's pool are not touched.
        assert all("reader pool" in statement or "snapshot" in statement for statement in sent), sent
    with app.app_context():
        rows = db.session.scalars(select(DocumentAccess).where(
            DocumentAccess.document_id == restricted, DocumentAccess.user_id == board.member.id)).all()
        assert [(row.action, row.version, row.page, row.at.tzinfo is not None) for row in rows] == [
            ("view", 1, None, True)]


def test_a_read_after_the_database_cut_its_connections_is_made_on_a_new_one(app, board, restricted):
    """On PostgreSQL the one query's pool does not ping before use (meetings.rawselect.reader_engine): a
    connection cut by a restart or a firewall is found by the read itself and replaced, never a 500."""
    page = f"/api/v1/documents/{restricted}/pages/1"
    assert board.get(board.member, page).status_code == 200
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # SQLite's file has no connection to cut
            cut = db.session.scalar(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            assert cut >= 1  # the reader pool's connection at least
            db.session.commit()
    assert board.get(board.member, page).status_code == 200
    assert board.get(board.member, page).status_code == 200


def test_a_revoked_token_or_a_removed_reader_is_refused_on_the_very_next_read(app, board, meeting, restricted):
    page = f"/api/v1/documents/{restricted}/pages/1"
    assert board.get(board.member, page).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).where(ApiToken.user_id == board.member.id).values(revoked_at=NOW))
        db.session.commit()
    refused = board.get(board.member, page)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "invalid_token"

    assert board.get(board.other_member, page).status_code == 200
    removed = board.delete(board.secretary, f"/api/v1/meetings/{meeting}/participants/{board.other_member.id}")
    assert removed.status_code == 204
    assert board.get(board.other_member, page).status_code == 404


def test_the_browser_session_reads_in_one_query_and_is_refused_once_signed_out_everywhere(app, board, restricted):
    page = f"/api/v1/documents/{restricted}/pages/1"
    browser = app.test_client()
    browser.post("/login", data={"email": board.member.email, "password": board.member.password})
    assert browser.get(page).status_code == 200
    with statements(app) as sent:
        again = browser.get(page)
    assert again.status_code == 200 and "Set-Cookie" not in again.headers  # the session is never written
    assert len(sent) == 1, sent
    other_device = app.test_client()
    other_device.post("/login", data={"email": board.member.email, "password": board.member.password})
    other_device.post("/logout-everywhere")
    refused = browser.get(page)
    assert refused.status_code == 401 and refused.json["error"]["request_id"]


def test_with_accel_redirect_the_file_is_named_for_nginx_after_the_access_check(make_app, board_for):
    board = board_for(make_app(MEETINGS_ACCEL_REDIRECT="/_files/"))
    meeting = board.meeting()["id"]
    document = board.document(meeting, data=pdfs.text_pdf(3), title="Dự thảo", read_only="true")["id"]
    cache = Path(board.app.config["MEETINGS_CACHE"])
    page = board.get(board.member, f"/api/v1/documents/{document}/pages/1")
    copy = board.get(board.member, f"/api/v1/documents/{document}/file", headers={"X-Meetings-Reader": "pdfjs"})
    for answer, kind in ((page, "image/jpeg"), (copy, "application/pdf")):
        assert answer.status_code == 200 and answer.data == b"" and answer.headers["Content-Type"] == kind
        named = answer.headers["X-Accel-Redirect"]
        assert named.startswith("/_files/") and (cache / named.removeprefix("/_files/")).is_file()
        assert answer.headers["ETag"] and answer.headers["Cache-Control"].startswith("private")
    assert "Accept-Ranges" not in copy.headers  # nginx adds its own; the range is nginx's to answer
    size = (cache / copy.headers["X-Accel-Redirect"].removeprefix("/_files/")).stat().st_size
    beyond = board.get(board.member, f"/api/v1/documents/{document}/file",
                       headers={"X-Meetings-Reader": "pdfjs", "Range": f"bytes={size}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    assert "X-Accel-Redirect" not in beyond.headers and beyond.json["error"]["request_id"]
    refused = board.get(board.outsider, f"/api/v1/documents/{document}/pages/1")
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused.headers
    with pytest.raises(ConfigError):
        make_app(MEETINGS_ACCEL_REDIRECT="_files")


def test_a_burst_of_first_reads_builds_one_engine_and_one_statement(app):
    """At a meeting's start 300 requests reach a process that has not read a document yet: one thread
    makes the reader engine (and its pool) and compiles the statement, the others wait for it."""
    builds, overlap = [], threading.Barrier(2, timeout=0.5)

    def build():
        builds.append(threading.get_ident())
        try:  # a second builder at the same time would meet the first here; one at a time, none comes
            overlap.wait()
        except threading.BrokenBarrierError:
            pass
        return select(literal_column("7").label("seven"))

    statement, gate, engines, rows = rawselect.RawSelect(build), threading.Barrier(20), [], []

    def first_read():
        with app.app_context():
            gate.wait()
            engine = rawselect.current_reader_engine()
            engines.append(engine)
            rows.append(statement.first(engine, {}).seven)

    threads = [threading.Thread(target=first_read) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len({id(engine) for engine in engines}) == 1 and rows == [7] * 20
