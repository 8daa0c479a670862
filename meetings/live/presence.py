"""Who is connected right now: one row per open socket and meeting, kept honest when a server dies.

A web process stamps its rows with its instance id and refreshes their `seen_at` every HEARTBEAT.
A process that is killed (no disconnect handlers run) stops refreshing: readers ignore its rows once
they are older than STALE_AFTER, and the next sweep, by any live process, deletes them and tells the
rooms those people left (when no fresh socket of theirs remains).
"""
import logging
import os
import threading
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from meetings.dossiers.models import Meeting
from meetings.dossiers.services import changed, lock_meeting
from meetings.extensions import db, socketio
from meetings.live.models import Presence
from meetings.realtime import NAMESPACE
from meetings.timeutil import now_utc

HEARTBEAT = timedelta(seconds=30)
STALE_AFTER = 3 * HEARTBEAT  # two missed beats are tolerated (a busy database, a slow tick)

_instance: tuple[int, str] | None = None
_beating, _beating_lock = False, threading.Lock()


def instance_id() -> str:
    """This process's id, new in every process (a forked worker does not inherit its parent's)."""
    global _instance
    if _instance is None or _instance[0] != os.getpid():
        _instance = (os.getpid(), uuid.uuid4().hex)
    return _instance[1]


def _fresh(now: datetime):
    return Presence.seen_at >= now - STALE_AFTER


def connected_users(meeting_id: int, now: datetime) -> set[int]:
    return set(db.session.scalars(select(Presence.user_id).where(Presence.meeting_id == meeting_id, _fresh(now))))


def arrive(meeting: Meeting, sid: str, user, now: datetime) -> None:
    """A socket joined the room; the user turns "connected" with their first socket."""
    lock_meeting(meeting)
    if db.session.get(Presence, (sid, meeting.id)) is not None:
        return
    first = user.id not in connected_users(meeting.id, now)
    db.session.add(Presence(sid=sid, meeting_id=meeting.id, user_id=user.id, at=now, instance=instance_id(),
                            seen_at=now))
    if first:
        changed(meeting, "presence", {"user_id": user.id, "connected": True}, now)


def _gone(meeting: Meeting, user_ids: set[int], now: datetime) -> None:
    for user_id in sorted(user_ids - connected_users(meeting.id, now)):
        changed(meeting, "presence", {"user_id": user_id, "connected": False}, now)


def depart(sid: str, now: datetime, meeting_id: int | None = None) -> None:
    """A socket left (or dropped); the user turns "not connected" when it was their last."""
    query = select(Presence).where(Presence.sid == sid)
    if meeting_id is not None:
        query = query.where(Presence.meeting_id == meeting_id)
    for row in list(db.session.scalars(query)):
        meeting = db.session.get(Meeting, row.meeting_id)
        lock_meeting(meeting)
        user_id = row.user_id
        db.session.execute(delete(Presence).where(Presence.sid == sid, Presence.meeting_id == meeting.id))
        _gone(meeting, {user_id}, now)
    db.session.commit()


def forget_user(meeting: Meeting, user_id: int, now: datetime) -> None:
    """The user may no longer be in the room (their sockets are being dropped from it): they stop
    counting as connected at once. The caller holds the meeting's lock and commits."""
    if db.session.execute(delete(Presence).where(Presence.meeting_id == meeting.id,
                                                 Presence.user_id == user_id)).rowcount:
        _gone(meeting, {user_id}, now)


def heartbeat(instance: str, now: datetime) -> None:
    """This process is alive: the rows of its sockets that are still open are refreshed. A socket whose
    disconnect handler failed (SQLite busy while a crowd left at once: 4 of 300 in the follow bench)
    is no longer open, so its row is left to go stale, and the sweep removes it and tells the room, as
    for a process that was killed."""
    sids = set(db.session.scalars(select(Presence.sid).where(Presence.instance == instance)))
    still_open = [sid for sid in sids if _is_open(sid)]
    if still_open:
        db.session.execute(update(Presence).where(Presence.instance == instance, Presence.sid.in_(still_open))
                           .values(seen_at=now))
    db.session.commit()


def _is_open(sid: str) -> bool:
    """Is this process's socket `sid` connected (not connecting, not leaving)?"""
    return socketio.server.manager.is_connected(sid, NAMESPACE)


def sweep(now: datetime) -> int:
    """Delete the rows of dead processes and announce who left with them; the number of rows deleted."""
    stale = list(db.session.scalars(select(Presence).where(~_fresh(now)).order_by(Presence.meeting_id)))
    by_meeting: dict[int, set[int]] = {}
    for row in stale:
        by_meeting.setdefault(row.meeting_id, set()).add(row.user_id)
    deleted = 0
    for meeting_id, user_ids in by_meeting.items():
        meeting = db.session.get(Meeting, meeting_id)
        lock_meeting(meeting)  # one meeting at a time, like every other change to it
        deleted += db.session.execute(delete(Presence).where(Presence.meeting_id == meeting_id,
                                                             ~_fresh(now))).rowcount
        _gone(meeting, user_ids, now)
        db.session.commit()
    return deleted


def start_heartbeat(app) -> None:
    """Once per web process, from its first socket: beat and sweep every HEARTBEAT (not under tests,
    which call heartbeat() and sweep() with the time they choose)."""
    global _beating
    if app.testing:
        return
    with _beating_lock:
        if _beating:
            return
        _beating = True
    socketio.start_background_task(_beat, app)


def _beat(app) -> None:
    while True:
        socketio.sleep(HEARTBEAT.total_seconds())
        with app.app_context():
            try:
                heartbeat(instance_id(), now_utc())
                sweep(now_utc())
            except Exception:  # the next beat tries again; a dead beat must not end the process
                db.session.rollback()
                logging.getLogger(__name__).exception("presence heartbeat failed")
