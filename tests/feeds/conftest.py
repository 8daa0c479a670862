"""Feed fixtures: the calendar's office and fixed clock, and feed caches emptied between tests
(they live per process, and ids restart in every test)."""
import pytest

from meetings.feeds import cache, feed
from tests.calendar.conftest import NOW, Office


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=NOW)


@pytest.fixture
def office(app):
    return Office(app)


@pytest.fixture(autouse=True)
def empty_feed_caches():
    cache.clear()
    feed.clear()
    yield
