"""The home page ("Hôm nay"): each role's day at a glance, kept current over the live socket."""
from flask import Blueprint

bp = Blueprint("home", __name__, url_prefix="/home")

from meetings.home import routes  # noqa: F401
