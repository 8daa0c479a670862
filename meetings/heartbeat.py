"""beat(name, now): a background process says it is alive; /readyz asks how fresh each beat is.

A row per process kind ("worker", "scheduler") in the database every process already shares, so
no second store is needed to know whether some worker somewhere is still running.
"""
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db


class Heartbeat(db.Model):
    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


def beat(name: str, now: datetime) -> None:
    """Record that `name` was alive at `now` (one small transaction of its own)."""
    row = db.session.get(Heartbeat, name)
    if row is None:
        db.session.add(Heartbeat(name=name, at=now))
    else:
        row.at = max(row.at, now)
    try:
        db.session.commit()
    except IntegrityError:  # two processes' first beats at once: the other's row is there now
        db.session.rollback()
        db.session.get(Heartbeat, name).at = now
        db.session.commit()


def last_beat(name: str) -> datetime | None:
    return db.session.scalar(select(Heartbeat.at).where(Heartbeat.name == name))
