"""The meeting fixtures (a board of people with tokens, a fixed now) for the operations tests."""
from tests.meetings.conftest import app, board  # noqa: F401
