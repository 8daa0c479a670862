"""Each reader's "last looked at" marker per leader, so the tablet can mark what changed since."""
from datetime import datetime

from sqlalchemy import select

from meetings.calendar.models import LastSeen
from meetings.extensions import db


def look(user_id: int, leader_id: int, now: datetime, record: bool = True) -> datetime | None:
    """Record that the user is looking now; return when they looked before (None: never).

    A page refreshed by a live update is not the reader looking: `record=False` keeps the marker, so
    the change stays marked until they open the page themselves."""
    row = db.session.scalar(select(LastSeen).where(LastSeen.user_id == user_id, LastSeen.leader_id == leader_id))
    previous = row.seen_at if row else None
    if not record:
        return previous
    if row is None:
        db.session.add(LastSeen(user_id=user_id, leader_id=leader_id, seen_at=now))
    else:
        row.seen_at = now
    db.session.commit()
    return previous
