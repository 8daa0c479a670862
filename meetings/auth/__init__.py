"""Signing in and out, sessions, personal API tokens and the profile page."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from meetings.auth import routes  # noqa: E402,F401
