"""Briefcase fixtures: the meeting board of tests/meetings (a fixed clock; a published meeting
tomorrow morning with a chair and two members), with the offline briefcase turned on."""
import pytest

from tests.meetings.conftest import NOW, Board  # noqa: F401


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW, OFFLINE_BRIEFCASE=True)


@pytest.fixture
def board(app, client):
    return Board(app, client)
