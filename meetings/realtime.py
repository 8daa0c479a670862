"""publish(): the one way a change reaches open screens — emitted only after its transaction commits.

Services call publish() inside their transaction; the message waits on the session and goes out
from the after_commit hook, so a rolled-back change is never announced. With REDIS_URL set,
socketio.emit travels through the Redis message queue, so the scheduler and the CLI reach browsers
connected to any web process.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

from meetings.extensions import db, socketio

NAMESPACE = "/live"
_PENDING = "realtime_pending"


def user_room(user_id: int) -> str:
    """Every connected screen of one user joins this room (notifications, annotation sync)."""
    return f"user:{user_id}"


def publish(event_name: str, payload: dict, room: str | None = None) -> None:
    """Queue an event for `room` (everyone on /live when None), sent after the current commit."""
    db.session.connection()  # begin the transaction now, so that a rollback is seen and drops this
    db.session.info.setdefault(_PENDING, []).append((event_name, payload, room))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    for event_name, payload, room in session.info.pop(_PENDING, []):
        socketio.emit(event_name, payload, to=room, namespace=NAMESPACE)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
