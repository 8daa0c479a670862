"""Socket handler of the home page: watch the rooms of the meetings it shows, without entering them.

A watching screen gets the same pushes as the room (a start, a vote opened, a document added) and
redraws its sections; it is not a presence in the meeting, so nobody is counted as connected."""
from flask_babel import gettext as _
from flask_socketio import join_room

from meetings.dossiers.models import Meeting
from meetings.dossiers.services import meeting_room
from meetings.errors import ValidationFailed
from meetings.extensions import db, socketio
from meetings.live.access import can_join_room
from meetings.live.events import socket_user
from meetings.realtime import NAMESPACE
from meetings.validation import parse_id

MAX_WATCHED = 30


@socketio.on("watch_meetings", namespace=NAMESPACE)
def watch_meetings(data):
    user = socket_user()
    raw = data.get("meeting_ids") if isinstance(data, dict) else None
    if user is None or not isinstance(raw, list):
        return {"error": {"code": "bad_request", "message": _("Expected a list of meeting ids.")}}
    watching = []
    for meeting_id in raw[:MAX_WATCHED]:
        try:
            meeting = db.session.get(Meeting, parse_id(meeting_id, "meeting_ids"))
        except ValidationFailed:
            continue
        if meeting is not None and can_join_room(user, meeting):
            join_room(meeting_room(meeting.id))
            watching.append(meeting.id)
    db.session.rollback()
    return {"watching": watching}
