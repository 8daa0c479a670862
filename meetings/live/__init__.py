"""Live meeting room over Socket.IO (namespace /live): authenticated connections, per-user and
per-meeting rooms, the current item, check-in, speaking queue, votes, notices, presenter page."""
from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/meetings")

from meetings.live import api, routes  # noqa: E402,F401
