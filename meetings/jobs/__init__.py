"""Background jobs on huey: the queue, the registry of job functions, and enqueue() after a commit.

Why huey: one small pure-Python package with an embedded SQLite queue (a file in the instance
folder, so `make run` needs nothing else) and a Redis queue for production (the Redis the live
updates already use), the same task code on both, and an immediate mode for tests.

    @job("process_upload")
    def process_upload(document_id: int, ...): ...      # runs inside an app context, own session

    enqueue("process_upload", document.id, ...)         # call after the commit that made the row

Job functions receive plain values (ids, ISO times), never ORM objects: they run in another process.
"""
import logging
import os
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

logger = logging.getLogger(__name__)
JOBS: dict[str, tuple[Callable, dict]] = {}
# Modules whose import registers jobs: imported when the queue is built, never at import time
# (they import the features, which would make a cycle with meetings/__init__).
JOB_MODULES = ("meetings.dossiers.background", "meetings.tasks.notice_jobs", "meetings.search.jobs")


def job(name: str, retries: int = 0, retry_delay: int = 0):
    """Register `function` as the job `name` (the name is what the queue stores: keep it stable)."""

    def register(function: Callable) -> Callable:
        JOBS[name] = (function, {"retries": retries, "retry_delay": retry_delay})
        return function

    return register


def backend_name(config) -> str:
    if config.get("JOBS_IMMEDIATE"):
        return "immediate"
    return "redis" if config.get("JOBS_REDIS_URL") or config.get("REDIS_URL") else "sqlite"


def build_queue(app: Flask):
    """The huey instance for this app's configuration; each registered job wrapped in an app context."""
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    name = app.config.get("JOBS_QUEUE_NAME") or app.config.get("SOCKETIO_CHANNEL", "meetings")
    backend = backend_name(app.config)
    if backend == "immediate":
        queue = MemoryHuey(name, immediate=True, results=False)
    elif backend == "redis":
        queue = RedisHuey(name, url=app.config.get("JOBS_REDIS_URL") or app.config["REDIS_URL"], results=False)
    else:
        path = app.config.get("JOBS_SQLITE_PATH") or os.path.join(app.instance_path, "jobs.db")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        queue = SqliteHuey(name, filename=path, results=False)
    import importlib

    for module in JOB_MODULES:
        importlib.import_module(module)

    built_in = os.getpid()

    @queue.on_startup()
    def forget_inherited_connections():
        # A worker process forked from the one that started it must open its own database
        # connections: sharing the parent's sockets corrupts both sides' conversations.
        if os.getpid() == built_in:
            return  # a thread worker: the process's pool is its own
        with app.app_context():
            from meetings.extensions import db

            db.engine.dispose(close=False)

    tasks = {name: queue.task(name=name, **options)(_in_app_context(app, function))
             for name, (function, options) in JOBS.items()}
    return queue, tasks


def _in_app_context(app: Flask, function: Callable) -> Callable:
    def run(*args, **kwargs):
        # A fresh app context is a fresh database session (Flask-SQLAlchemy scopes them per context),
        # also in immediate mode inside a request: the job never sees the request's session.
        with app.app_context():
            from meetings.extensions import db
            from meetings.ops.logs import job_run

            try:
                with job_run(function.__name__):  # one JSON line per job, with its outcome, and its metrics
                    return function(*args, **kwargs)
            except Exception:
                db.session.rollback()
                logger.exception("job %s failed", function.__name__)
                raise
            finally:
                db.session.remove()

    run.__name__ = function.__name__
    return run


def init_app(app: Flask) -> None:
    if app.config.get("TESTING"):
        # Tests upload and read at once: jobs run inline. Copies made ahead would only slow every
        # publication down; the tests of that job switch it on.
        app.config.setdefault("JOBS_IMMEDIATE", True)
    app.config.setdefault("JOBS_PREPARE_AHEAD", not app.config.get("TESTING"))
    app.extensions["jobs"] = None  # built on first use: `flask db upgrade` needs no queue

    from meetings.jobs import cli

    cli.init_app(app)


def queue_of(app: Flask):
    if app.extensions.get("jobs") is None:
        app.extensions["jobs"] = build_queue(app)
    return app.extensions["jobs"]


def enqueue(name: str, *args) -> None:
    """Hand job `name` to the queue (in immediate mode: run it now, in this thread)."""
    app = current_app._get_current_object() if has_app_context() else None
    if app is None:
        raise RuntimeError("enqueue() needs an app context")
    _queue, tasks = queue_of(app)
    try:
        tasks[name](*args)
    except Exception:
        if not app.config.get("JOBS_IMMEDIATE"):
            raise
        # Immediate mode runs the job here: its failure is the job's (logged, state recorded), not the caller's.
        logger.exception("job %s failed", name)


_PENDING = "jobs_pending"


def enqueue_after_commit(name: str, *args, session=None) -> None:
    """Queue job `name` once the current transaction commits (dropped if it rolls back), like
    realtime.publish: a job must never look for rows that are not there yet. Queued once per
    transaction however often it is asked for with the same arguments. `session`: the app's own
    unless given (a flush hook is handed the one flushing)."""
    from meetings.extensions import db

    session = session or db.session
    session.connection()  # begin now, so that a rollback is seen and drops this
    pending = session.info.setdefault(_PENDING, [])
    if (name, args) not in pending:
        pending.append((name, args))


def _install_session_hooks() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @event.listens_for(Session, "after_commit")
    def _enqueue_pending(session: Session) -> None:
        for name, args in session.info.pop(_PENDING, []):
            try:
                enqueue(name, *args)
            except Exception:  # noqa: BLE001 - the change is committed; the scheduler's sweep makes it later
                logger.exception("job %s could not be queued", name)

    @event.listens_for(Session, "after_soft_rollback")
    def _drop_pending(session: Session, previous_transaction) -> None:
        if previous_transaction.parent is None:
            session.info.pop(_PENDING, None)


_install_session_hooks()
