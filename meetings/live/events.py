"""Socket handlers for /live. A connection is refused unless it brings a session or an API token."""
from flask import session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from meetings.auth.services import user_for_token
from meetings.directory.models import User
from meetings.extensions import db, socketio
from meetings.realtime import NAMESPACE, user_room
from meetings.timeutil import now_utc

_SOCKET_USER = "live_user_id"


def socket_user() -> User | None:
    """The user behind the current socket (set at connect; the socket session lives as long as it)."""
    user_id = session.get(_SOCKET_USER)
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


@socketio.on("connect", namespace=NAMESPACE)
def connect(auth=None):
    user = None
    if isinstance(auth, dict) and auth.get("token"):
        user = user_for_token(str(auth["token"]), now_utc())
    elif current_user.is_authenticated:
        user = current_user._get_current_object()
    if user is None:
        raise ConnectionRefusedError("unauthorized")
    session[_SOCKET_USER] = user.id
    join_room(user_room(user.id))
    return None
