"""Written opinions (phiếu lấy ý kiến): a request sent to leaders or units with draft documents, a
deadline in the office's zone, reminders, answers kept in every version, and a frozen summary."""
from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

from meetings.consultations import api, jobs, routes  # noqa: E402,F401
