"""Production-shape tests run on PostgreSQL only: production refuses to share SQLite between
processes once REDIS_URL is set (meetings/config.py), and these tests start several processes
configured exactly as production is."""
import pytest

from meetings import create_app
from meetings.extensions import db
from tests.conftest import PG_URL, app_config, require_or_skip, worker_database


@pytest.fixture
def database_url(tmp_path_factory):
    """Overrides the two-database fixture here. Tables are created if missing, just before each test
    (the session-wide PostgreSQL fixture may have dropped them in between), and never dropped: that
    fixture may still be using them. make_app empties them after each test."""
    if not PG_URL:
        require_or_skip("TEST_DATABASE_URL is not set: the production-shape tests need PostgreSQL")
    url = worker_database(PG_URL)  # under pytest-xdist, this worker's own database
    app = create_app(app_config(url, tmp_path_factory.mktemp("production-setup")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url
