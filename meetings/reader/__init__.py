"""The tablet reader (đọc tài liệu) and personal annotations (ghi chú): read a meeting's documents,
mark them up with finger or pen, sync across a user's devices, download the annotated copy."""
from flask import Blueprint

bp = Blueprint("reader", __name__, url_prefix="/reader")

from meetings.reader import api, routes  # noqa: E402,F401
