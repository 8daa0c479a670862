"""meetings: leaders' work calendars and paperless meetings for a ministry office."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from meetings import config as config_module
from meetings import fanout
from meetings.extensions import csrf, db, limiter, login_manager, migrate, socketio


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides everything else (tests pass their database here)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MEETINGS_INSTANCE", os.path.abspath("instance")),
        static_folder=os.path.join(os.path.dirname(__file__), "..", "static"),
        template_folder=os.path.join(os.path.dirname(__file__), "..", "templates"),
    )
    app.config.update(config_module.DEFAULTS)
    if not (config or {}).get("TESTING"):
        app.config.update(config_module.from_environment(app.instance_path))
    app.config.update(config or {})
    # A test's config names only its storage folder: its generated files go beside its documents.
    app.config.setdefault("MEETINGS_CACHE", os.path.join(app.config["MEETINGS_STORAGE"], "cache"))
    config_module.check(app.config)
    config_module.fit_engine(app.config)
    from meetings import inputs

    inputs.init_app(app)  # first: the id converter must exist before any route is added

    db.init_app(app)
    # Batch mode lets the same migrations ALTER tables on SQLite, which cannot alter in place.
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    # Socket handlers must be registered before init_app: Flask-SocketIO copies its handler list
    # into each new server, and a handler declared after that reaches only the first app's server.
    from meetings.live import events as live_events  # noqa: F401
    from meetings.home import events as home_events  # noqa: F401
    socketio.init_app(app, async_mode="threading", message_queue=app.config.get("REDIS_URL"),
                      client_manager=fanout.client_manager(app.config.get("REDIS_URL"), app.config["SOCKETIO_CHANNEL"]))
    fanout.install(socketio.server)
    proxies = app.config["MEETINGS_TRUSTED_PROXIES"]
    if proxies:  # the address and scheme from X-Forwarded-For/-Proto, as that many proxies set them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from meetings import models  # noqa: F401  (every table, for Alembic and relationships)
    from meetings import i18n, ops, web
    from meetings.api import bp as api_bp
    from meetings.auth import bp as auth_bp
    from meetings.auth import cli as auth_cli
    from meetings.calendar import bp as calendar_bp
    from meetings.directory import bp as directory_bp
    from meetings.directory import cli as directory_cli
    from meetings.feeds import bp as feeds_bp
    from meetings.dossiers import bp as dossiers_bp
    from meetings.dossiers import cli as dossiers_cli
    from meetings.live import bp as live_bp
    from meetings.notify import bp as notify_bp
    from meetings.reader import bp as reader_bp
    from meetings.notify import cli as notify_cli
    from meetings.tasks import bp as tasks_bp
    from meetings.home import bp as home_bp
    from meetings.offline import bp as offline_bp
    from meetings.search import bp as search_bp
    from meetings.search import cli as search_cli
    from meetings.search import indexing as search_indexing
    from meetings import assets, demo, jobs, sessions
    from meetings.consultations import bp as consultations_bp

    i18n.init_app(app)
    web.init_app(app)
    assets.init_app(app)
    sessions.init_app(app)
    ops.init_app(app)
    login_manager.init_app(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(reader_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(api_bp)
    auth_cli.init_app(app)
    directory_cli.init_app(app)
    notify_cli.init_app(app)
    dossiers_cli.init_app(app)
    search_cli.init_app(app)
    search_indexing.init_app(app)
    demo.init_app(app)
    jobs.init_app(app)
    return app
