"""Operations' own table: the background processes' heartbeats (read by /readyz)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db


class Heartbeat(db.Model):
    """The last sign of life of one kind of background process ("scheduler", "worker")."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    holder: Mapped[str] = mapped_column(String(100))  # host:pid of the process that beat last
