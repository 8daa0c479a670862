"""publish(): the one way a change reaches open screens — emitted only after its transaction commits.

Services call publish() inside their transaction; the message waits on the session and goes out
from the after_commit hook, so a rolled-back change is never announced. With REDIS_URL set,
socketio.emit travels through the Redis message queue, so the scheduler and the CLI reach browsers
connected to any web process.
"""
import logging
import threading
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from meetings.extensions import db, socketio
from meetings.fanout import CONTROL_EVENT

NAMESPACE = "/live"
logger = logging.getLogger(__name__)
_PENDING = "realtime_pending"
_TICKET = "realtime_ticket"


def user_room(user_id: int) -> str:
    """Every connected screen of one user joins this room (notifications, annotation sync)."""
    return f"user:{user_id}"


def token_room(token_id: int) -> str:
    """The sockets opened with one API token: revoking it closes them, and only them."""
    return f"token:{token_id}"


def drop_from_rooms(user_id: int, rooms: list[str]) -> None:
    """After the commit, every open socket of the user (in every process) leaves these rooms: the
    user lost the right to see what is pushed there. Whether they may join again is asked afresh."""
    publish(CONTROL_EVENT, {"leave": list(rooms)}, room=user_room(user_id))


def disconnect_user(user_id: int) -> None:
    """After the commit, every open socket of the user (in every process) is out of every room and
    disconnected (deactivated, signed out everywhere). A reconnect needs a valid session or token."""
    publish(CONTROL_EVENT, {"disconnect": True}, room=user_room(user_id))


def disconnect_token(token_id: int) -> None:
    """After the commit, every open socket opened with this API token (in every process) is
    disconnected: a revoked token must not keep a live room open that it could no longer open."""
    publish(CONTROL_EVENT, {"disconnect": True}, room=token_room(token_id))


def publish(event_name: str, payload: dict, room: str | None = None) -> None:
    """Queue an event for `room` (everyone on /live when None), sent after the current commit."""
    db.session.connection()  # begin the transaction now, so that a rollback is seen and drops this
    db.session.info.setdefault(_PENDING, []).append((event_name, payload, room))


class _InCommitOrder:
    """Messages of concurrent transactions leave in the order the transactions committed.

    Two writers of one meeting are serialised by its row lock, yet the second one's after_commit can
    run before the first one's (threads are scheduled freely), which would push version 8 before 7.
    A transaction with messages takes a ticket as it starts committing (still under its locks, so
    tickets follow the commit order) and hands its messages in after the commit. Whichever thread
    finds the next ticket's messages handed in sends them, then every later ticket's that is ready,
    one thread at a time and in ticket order. A thread whose turn has not come leaves its messages
    to the thread that is sending and returns at once: no request waits for another's broadcast (a
    room at 50 changes a second had requests queued behind each other's fan-out).
    Within one process only: across processes a screen still mends a gap by rejoining.
    """

    WAIT = 5.0  # seconds; a ticket never handed in (a thread killed mid-commit) must not stop the rest

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._issued = self._served = 0
        self._ready: dict[int, object] = {}  # ticket -> its send(), or None when it has nothing to send
        self._taken_at: dict[int, float] = {}
        self._sending = False

    def take(self) -> int:
        with self._lock:
            self._issued += 1
            self._taken_at[self._issued] = self.clock()
            return self._issued

    def send_in_turn(self, ticket: int, send) -> None:
        self._hand_in(ticket, send)

    def settle(self, ticket: int) -> None:
        """The ticket's transaction ended without messages to send (rolled back, or failed to commit)."""
        self._hand_in(ticket, None)

    def _hand_in(self, ticket: int, send) -> None:
        with self._lock:
            late = ticket <= self._served  # passed over as stuck: better late than never (screens mend gaps)
            if not late:
                if ticket in self._ready:
                    return  # handed in already (after_commit, then after_transaction_end)
                self._ready[ticket] = send
                if self._sending:
                    return
                self._sending = True
        if late:
            if send is not None:
                _send_logged(send)
            return
        self._drain()

    def _drain(self) -> None:
        while True:
            with self._lock:
                following = self._served + 1
                if following in self._ready:
                    send = self._ready.pop(following)
                elif self._ready and self.clock() - self._taken_at.get(following, self.clock()) > self.WAIT:
                    send = None  # stuck: the ones after it go on
                else:
                    self._sending = False
                    return
                self._served = following
                self._taken_at.pop(following, None)
            if send is not None:
                _send_logged(send)


def _send_logged(send) -> None:
    """A failed emit (Redis gone) is logged: the change is committed and screens catch up on rejoin."""
    try:
        send()
    except Exception:  # noqa: BLE001 - whatever the transport raised, the other messages must go on
        logger.exception("a live update could not be sent")


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
