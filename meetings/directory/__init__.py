"""The organisation: users, units (đơn vị) and rooms, with their admin pages."""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/admin")

from meetings.directory import routes  # noqa: E402,F401
