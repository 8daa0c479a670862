"""One search over documents, the schedule, conclusions, tasks and minutes (tìm kiếm): the index,
the engine layer for PostgreSQL and SQLite, access as SQL, the page, the API and the CLI."""
from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from meetings.search import api, jobs, routes  # noqa: E402,F401
