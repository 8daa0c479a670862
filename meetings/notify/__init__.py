"""Notifications: in-app (bell, list, live push), e-mail through an outbox, and the scheduler."""
from flask import Blueprint

bp = Blueprint("notify", __name__)

from meetings.notify import api, routes  # noqa: E402,F401
