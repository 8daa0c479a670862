"""Reader fixtures: the meeting board of tests/meetings, a published meeting with one 3-page document."""
import pytest

from tests.meetings.conftest import NOW, Board, app  # noqa: F401  (the fixed clock and the limits)


@pytest.fixture
def board(app, client):
    return Board(app, client)


@pytest.fixture
def doc(board):
    meeting = board.meeting()
    return board.document(meeting["id"])


def ink(id_, page=3, points=((100, 100), (150, 120), (200, 110)), **extra):
    return {"id": id_, "page": page, "kind": "ink", "paths": [[list(p) for p in points]], "color": "#d32f2f",
            "text": "", "shared": False, **extra}


def url(document_id, annotation_id=""):
    return f"/api/v1/documents/{document_id}/annotations" + (f"/{annotation_id}" if annotation_id else "")
