"""The snapshot's one SELECT on PostgreSQL goes through libpq as a statement prepared once per connection
(meetings.rawselect._fetch_libpq): its rows must be exactly what psycopg's cursor gives."""
import pytest
from sqlalchemy import literal_column, select

from meetings import rawselect
from meetings.auth.models import ApiToken
from meetings.dossiers import snapshot
from meetings.extensions import db
from tests.dossiers import pdfs


pytestmark = pytest.mark.only_on("postgresql")  # libpq is PostgreSQL's client: SQLite reads through its cursor


def _both_ways(monkeypatch, engine, statement, params):
    by_libpq = rawselect.RawSelect(statement).first(engine, params)
    with monkeypatch.context() as patch:
        patch.setattr(rawselect, "Transformer", None)  # what a RawSelect does without psycopg's libpq wrapper
        through_cursor = rawselect.RawSelect(statement)
        row = through_cursor.first(engine, params)
        assert not next(iter(through_cursor._compiled.values())).libpq
    return by_libpq, row


def test_rows_read_through_libpq_are_the_cursors_rows(app, board, monkeypatch):
    meeting = board.meeting()["id"]
    document = board.document(meeting, data=pdfs.text_pdf(2), title="Tờ trình “số 5” — bản ghi", read_only="true")["id"]
    assert board.get(board.member, f"/api/v1/documents/{document}/pages/1").status_code == 200  # stamp, log, token use
    with app.app_context():
        engine = rawselect.current_reader_engine()
        token_hash = db.session.scalar(select(ApiToken.token_hash).where(ApiToken.user_id == board.member.id))
        cases = [(True, {"credential": token_hash, "document_id": document, "number": None}),
                 (True, {"credential": token_hash, "document_id": document, "number": 1}),
                 (True, {"credential": token_hash, "document_id": document + 1000, "number": None}),
                 (True, {"credential": "no such token", "document_id": document, "number": None}),
                 (False, {"credential": board.member.id, "document_id": document, "number": None})]
        for by_token, params in cases:
            by_libpq, through_cursor = _both_ways(monkeypatch, engine, lambda: snapshot._statement(by_token), params)
            assert by_libpq == through_cursor
        row = rawselect.RawSelect(lambda: snapshot._statement(True)).first(engine, cases[0][1])
        assert row.title == "Tờ trình “số 5” — bản ghi" and row.opened is True and row.active is True
        assert row.issued_at.tzinfo is not None and row.last_used_at.tzinfo is not None  # UTCDateTime's own


def test_the_statement_is_prepared_once_per_connection(app, board):
    meeting = board.meeting()["id"]
    document = board.document(meeting, data=pdfs.text_pdf(2), title="Dự thảo", read_only="true")["id"]
    for _ in range(3):
        assert board.get(board.member, f"/api/v1/documents/{document}/pages/1").status_code == 200
    with app.app_context():
        engine = rawselect.current_reader_engine()
        snapshot_name = snapshot._QUERIES[True]._compiled_for(engine).name.decode()
        connection = engine.raw_connection()  # one request at a time: the pool's one connection
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'meetings_%%'")
            names = [name for (name,) in cursor.fetchall()]
        finally:
            connection.close()
    assert names.count(snapshot_name) == 1 and len(set(names)) == len(names), names  # and the log row's INSERT


def test_an_error_in_the_statement_is_psycopgs_own_exception(app):
    with app.app_context():
        engine = rawselect.current_reader_engine()
        broken = rawselect.RawSelect(lambda: select(literal_column("1 / 0").label("nothing")))
        with pytest.raises(engine.dialect.loaded_dbapi.Error) as raised:
            broken.first(engine, {})
        assert "division by zero" in str(raised.value)
        assert rawselect.RawSelect(lambda: select(literal_column("2").label("two"))).first(engine, {}).two == 2  # the pool is fine
