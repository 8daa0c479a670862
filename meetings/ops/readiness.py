"""Readiness: may this process take traffic? Each check answers None (fine) or a short reason.

The reasons name the part that failed, never the exception's text (which may hold an address or a
password); the full error goes to the log.
"""
import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from meetings.extensions import db
from meetings.heartbeat import last_beats

log = logging.getLogger(__name__)
MAX_BEAT_AGE_SECONDS = 120


def _database() -> str | None:
    db.session.execute(text("SELECT 1"))
    return None


def _redis() -> str | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return None if client.ping() else "no answer"
    finally:
        client.close()


def _storage() -> str | None:
    folder = Path(current_app.config["MEETINGS_STORAGE"])
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".readyz-")
    try:
        os.write(handle, b"ok")
    finally:
        os.close(handle)
        os.unlink(name)
    return None


_heads: dict[str, frozenset[str]] = {}  # the migration scripts do not change while a process runs


def _script_heads() -> frozenset[str]:
    directory = current_app.extensions["migrate"].directory
    if directory not in _heads:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", directory)
        _heads[directory] = frozenset(ScriptDirectory.from_config(config).get_heads())
    return _heads[directory]


def _migrations() -> str | None:
    try:
        applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:
        db.session.rollback()
        return "not migrated"
    return None if applied == set(_script_heads()) else "not at the latest revision: run flask db upgrade"


def expected_processes() -> list[str]:
    return [p.strip() for p in current_app.config.get("MEETINGS_PROCESSES", "").split(",") if p.strip()]


def _heartbeats(now: datetime) -> dict[str, str | None]:
    beats = last_beats(now)
    found = {}
    for name in expected_processes():
        beat = beats.get(name)
        if beat is None:
            found[name] = "never seen"
        elif beat["age_seconds"] > MAX_BEAT_AGE_SECONDS:
            found[name] = f"last seen {int(beat['age_seconds'])} s ago"
        else:
            found[name] = None
    return found


def checks(now: datetime) -> dict[str, str | None]:
    """{part: None when it holds, else why not}: database, redis, storage, migrations, each process."""
    found: dict[str, str | None] = {}
    for name, check in (("database", _database), ("redis", _redis), ("storage", _storage),
                        ("migrations", _migrations)):
        try:
            found[name] = check()
        except Exception:
            log.exception("readiness check %s failed", name)
            db.session.rollback()
            found[name] = "unavailable"
    if found["database"] is None:
        try:
            found.update(_heartbeats(now))
        except Exception:
            log.exception("readiness: heartbeats unreadable")
            found.update({name: "unreadable" for name in expected_processes()})
    else:
        found.update({name: "database unavailable" for name in expected_processes()})
    return found
