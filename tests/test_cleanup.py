"""The tests' own cleanup never waits for ever: a transaction left open that holds what it must
delete makes it fail after LOCK_WAIT, naming that transaction (a hang would hold CI to its limit)."""
import pytest
from sqlalchemy import create_engine, text

import tests.conftest as conftest
from meetings.extensions import db


@pytest.mark.only_on("postgresql")  # SQLite has no lock_timeout; its writer waits on busy_timeout
def test_emptying_the_tables_fails_naming_a_transaction_left_open(app, factories, monkeypatch):
    factories.user("member")
    monkeypatch.setattr(conftest, "LOCK_WAIT", "1s")
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as held:
            held.execute(text("SELECT id FROM users FOR UPDATE"))  # left open until the check is done
            with app.app_context(), pytest.raises(pytest.fail.Exception) as failed:
                conftest.clean_tables()
            held.rollback()
    finally:
        other.dispose()
    assert "emptying the tables waited 1s for a lock" in str(failed.value)
    assert "idle in transaction" in str(failed.value) and "FOR UPDATE" in str(failed.value)
