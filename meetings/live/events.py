"""Socket handlers for /live. A connection is refused unless it brings a session or an API token;
a socket enters only the rooms of meetings its user may see."""
from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from meetings.auth.services import valid_token
from meetings.directory.models import User
from meetings.dossiers.models import Meeting
from meetings.dossiers.services import meeting_room
from meetings.errors import ServiceError, ValidationFailed
from meetings.extensions import db, socketio
from meetings.inputs import problems
from meetings.live import access
from meetings.live import present  # noqa: F401  (adds "live" to every meeting's state)
from meetings.live import presence
from meetings.live import services as live
from meetings.ops import metrics
from meetings.realtime import NAMESPACE, token_room, user_room
from meetings.timeutil import now_utc
from meetings.validation import parse_id

_SOCKET_USER = "live_user_id"


def socket_user() -> User | None:
    """The user behind the current socket (set at connect; the socket session lives as long as it)."""
    user_id = session.get(_SOCKET_USER)
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


@socketio.on("connect", namespace=NAMESPACE)
def connect(auth=None):
    user = token = None
    if problems(auth):  # a token with NUL in it would reach the database
        raise ConnectionRefusedError("unauthorized")
    if isinstance(auth, dict) and auth.get("token"):
        token = valid_token(str(auth["token"]), now_utc())
        user = token.user if token is not None else None
    elif current_user.is_authenticated:
        user = current_user._get_current_object()
    if user is None:
        raise ConnectionRefusedError("unauthorized")
    session[_SOCKET_USER] = user.id
    presence.start_heartbeat(current_app._get_current_object())
    join_room(user_room(user.id))
    if token is not None:
        join_room(token_room(token.id))  # revoking this one token closes this socket (auth.services.revoke_token)
    metrics.socket_opened()
    return None


def _meeting_id(data) -> int:
    """The message's meeting id, or a ValidationFailed that `socket_error` turns into the ack."""
    found = problems(data)
    if found:
        raise ValidationFailed(found)
    return parse_id(data.get("meeting_id") if isinstance(data, dict) else None, "meeting_id")


@socketio.on_error(NAMESPACE)
def socket_error(exc: Exception):
    """What a handler raises becomes its acknowledgement, in the API's error shape; a socket message
    is input like any other and gets a 4xx-like answer, never a dropped ack."""
    db.session.rollback()
    if isinstance(exc, ServiceError):
        return {"error": {"code": exc.code, "message": exc.message, **exc.details}}
    if isinstance(exc, ValueError) and "not connected" in str(exc):
        # python-socketio's join_room for a socket that left while its message was being handled (a
        # tablet closing the page just after asking): nobody is there to answer, and nothing failed.
        current_app.logger.info("socket left before its message was handled")
        return None
    current_app.logger.exception("socket handler failed", exc_info=exc)
    return {"error": {"code": "server_error", "message": _("Something went wrong on our side.")}}


@socketio.on("join_meeting", namespace=NAMESPACE)
def join_meeting(data):
    """Enter a meeting's room; the acknowledgement brings what the screen missed (or the full state).

    The socket joins the room before the state is read, so every change after the version in the
    acknowledgement also arrives as a push; the client drops pushes at or below that version.
    """
    user, meeting_id = socket_user(), _meeting_id(data)
    meeting = db.session.get(Meeting, meeting_id) if user is not None else None
    if meeting is None or not access.can_join_room(user, meeting):
        return {"error": {"code": "not_found", "message": _("No such meeting.")}}
    join_room(meeting_room(meeting.id))
    if access.can_run_meeting(user, meeting):
        join_room(live.runners_room(meeting.id))
    presence.arrive(meeting, request.sid, user, now_utc())
    db.session.commit()
    db.session.expire_all()
    return live.catch_up(db.session.get(Meeting, meeting.id), user, data.get("since_version"))


@socketio.on("leave_meeting", namespace=NAMESPACE)
def leave_meeting(data):
    meeting_id = _meeting_id(data)
    if meeting_id:
        leave_room(meeting_room(meeting_id))
        leave_room(live.runners_room(meeting_id))
        presence.depart(request.sid, now_utc(), meeting_id)
    return {"ok": True}


@socketio.on("disconnect", namespace=NAMESPACE)
def disconnect(reason=None):
    metrics.socket_closed()
    # Presence is per socket: a dropped tablet stops counting as connected at once.
    presence.depart(request.sid, now_utc())
