"""The leaders' work calendar (lịch công tác): entries, the weekly schedule, conflicts, print."""
from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/schedule")

from meetings.calendar import api, forms, occurrences, reminders, routes  # noqa: E402,F401
