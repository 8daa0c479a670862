"""Heartbeats of the background processes: each beats about once a minute; /readyz reads the ages.

Kept as one database row per process name (table `heartbeats`), not a Redis key: the database is
the one store every installation has (Redis is optional), readiness checks it anyway, and a write a
minute per process costs nothing. Each beat is its own short transaction on its own connection, so a
worker may beat in the middle of a job without committing the job's half-done work.
"""
import os
import socket
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from meetings.extensions import db
from meetings.ops.models import Heartbeat


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def beat(name: str, now: datetime) -> None:
    """Record that the process called `name` is alive at `now`."""
    table = Heartbeat.__table__
    values = {"beat_at": now, "holder": _holder()}
    for _attempt in range(2):  # a first beat may race another process's first beat: update then
        try:
            with db.engine.begin() as connection:
                if not connection.execute(update(table).where(table.c.name == name).values(**values)).rowcount:
                    connection.execute(insert(table).values(name=name, **values))
            return
        except IntegrityError:
            continue


def last_beats(now: datetime) -> dict:
    """{name: {"at": ISO time, "age_seconds": seconds since}} for every process that ever beat."""
    with db.engine.connect() as connection:
        rows = connection.execute(select(Heartbeat.__table__)).mappings().all()
    beats = {}
    for row in rows:
        at = row["beat_at"]  # aware: UTCDateTime applies on core queries too
        beats[row["name"]] = {"at": at.isoformat(), "age_seconds": round((now - at).total_seconds(), 1),
                              "holder": row["holder"]}
    return beats
