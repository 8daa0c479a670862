"""publish(): the one way a change reaches open screens — emitted only after its transaction commits.

Services call publish() inside their transaction; the message waits on the session and goes out
from the after_commit hook, so a rolled-back change is never announced. With REDIS_URL set,
socketio.emit travels through the Redis message queue, so the scheduler and the CLI reach browsers
connected to any web process.
"""
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from meetings.extensions import db, socketio

NAMESPACE = "/live"
_PENDING = "realtime_pending"
_TICKET = "realtime_ticket"


def user_room(user_id: int) -> str:
    """Every connected screen of one user joins this room (notifications, annotation sync)."""
    return f"user:{user_id}"


def publish(event_name: str, payload: dict, room: str | None = None) -> None:
    """Queue an event for `room` (everyone on /live when None), sent after the current commit."""
    db.session.connection()  # begin the transaction now, so that a rollback is seen and drops this
    db.session.info.setdefault(_PENDING, []).append((event_name, payload, room))


class _InCommitOrder:
    """Messages of concurrent transactions leave in the order the transactions committed.

    Two writers of one meeting are serialised by its row lock, yet the second one's after_commit can
    run before the first one's (threads are scheduled freely), which would push version 8 before 7.
    A transaction with messages takes a ticket as it starts committing (still under its locks, so
    tickets follow the commit order) and sends when every earlier ticket has sent or rolled back.
    Within one process only: across processes a screen still mends a gap by rejoining.
    """

    WAIT = 5.0  # seconds; a ticket never settled (a thread killed mid-commit) must not stop the rest

    def __init__(self):
        self._turn = threading.Condition()
        self._issued = self._serving = 0
        self._settled: set[int] = set()

    def take(self) -> int:
        with self._turn:
            self._issued += 1
            return self._issued

    def send_in_turn(self, ticket: int, send) -> None:
        with self._turn:
            if not self._turn.wait_for(lambda: self._serving >= ticket - 1, timeout=self.WAIT):
                self._serving = ticket - 1  # give up on the stuck one rather than on everyone after it
        try:
            send()
        finally:
            self.settle(ticket)

    def settle(self, ticket: int) -> None:
        with self._turn:
            self._settled.add(ticket)
            while self._serving + 1 in self._settled:
                self._serving += 1
                self._settled.discard(self._serving)
            self._settled = {t for t in self._settled if t > self._serving}
            self._turn.notify_all()


_ORDER = _InCommitOrder()


@event.listens_for(Session, "before_commit")
def _take_ticket(session: Session) -> None:
    if session.info.get(_PENDING) and _TICKET not in session.info:
        session.info[_TICKET] = _ORDER.take()


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    messages, ticket = session.info.pop(_PENDING, []), session.info.pop(_TICKET, None)

    def send():
        for event_name, payload, room in messages:
            socketio.emit(event_name, payload, to=room, namespace=NAMESPACE)

    if ticket is None:
        send()
    else:
        _ORDER.send_in_turn(ticket, send)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _release_ticket(session: Session, transaction) -> None:
    """A commit that failed after taking its ticket (or a closed session) must not hold the others."""
    if transaction.parent is None and _TICKET in session.info:
        _ORDER.settle(session.info.pop(_TICKET))
