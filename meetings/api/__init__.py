"""The JSON API under /api/v1: bearer tokens (or the browser session), JSON errors, OpenAPI."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from meetings.api import auth, query_check, routes  # noqa: E402,F401
