"""Operations: readiness, metrics, structured logs, heartbeats, backup and restore."""
from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_app(app: Flask) -> None:
    # Imported here, not at the top: meetings.heartbeat (which readiness reads) imports this package's
    # models, and must not pull the routes in with them.
    from meetings.ops import cli, logs, routes  # noqa: F401

    logs.configure(app)
    app.register_blueprint(bp)
    cli.init_app(app)
