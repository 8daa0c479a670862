"""Operations: readiness, metrics, structured logs, heartbeats, backup and restore."""
from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)

from meetings.ops import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    from meetings.ops import cli, logs

    logs.configure(app)
    app.register_blueprint(bp)
    cli.init_app(app)
