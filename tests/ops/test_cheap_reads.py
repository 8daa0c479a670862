"""A repeated read of a cached page image costs a few reads and no write (issue 18: cheap reads)."""
import contextlib

import pytest
from sqlalchemy import event, func, select

from meetings.dossiers.models import DocumentAccess
from meetings.extensions import db
from tests.dossiers import pdfs


@contextlib.contextmanager
def statements(app):
    """Every SQL statement the app sends while the block runs."""
    sent = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def restricted(board):
    meeting = board.meeting()["id"]
    return board.document(meeting, data=pdfs.text_pdf(3), title="Dự thảo", read_only="true")["id"]


def test_a_repeated_stamped_page_costs_two_reads_and_no_write(app, board, restricted):
    url = f"/api/v1/documents/{restricted}/pages/1"
    assert board.get(board.member, url).status_code == 200  # drawn, stamp issued, first view logged
    with statements(app) as sent:
        again = board.get(board.member, url)
    assert again.status_code == 200
    writes = [s for s in sent if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert len(sent) <= 2  # the token with its user, the document with what access reads
