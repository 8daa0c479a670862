"""The offline briefcase (cặp tài liệu ngoại tuyến): a service worker keeps the app shell, my schedule,
my coming meetings and their documents on the device, and wipes them when I sign out or lose access."""
from flask import Blueprint

bp = Blueprint("offline", __name__)

from meetings.offline import api, routes  # noqa: E402,F401
