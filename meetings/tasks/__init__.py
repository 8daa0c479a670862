"""Conclusions of meetings and the tasks they give, followed up until done (theo dõi, đôn đốc), and the
meetings' minutes (biên bản)."""
from flask import Blueprint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

from meetings.tasks import actions, api, jobs, minutes_routes, notice_routes, routes  # noqa: E402,F401
