"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn -w 1 --threads 400 wsgi:app`)."""
import gc
import sys

from meetings import create_app
from meetings.extensions import socketio

app = create_app()

# What start-up created (modules, the URL map, templates: about 250,000 objects) lives as long as the
# process. Frozen, it is left out of every later collection, so a full collection walks only what
# requests made: building a 5,000-entry feed paid about 120 ms per full collection without this.
gc.freeze()

# A thread back from the database waits for the GIL until the running thread yields it, by default
# every 5 ms. A change to the live room holds its meeting's row lock across a dozen round trips to
# PostgreSQL, each one waiting behind whatever broadcast is running: 0.5 ms turns let the lock go
# sooner (bench/live_broadcast.py, 30 s at 50 changes a second: 37/s with 5 ms, 49/s with 0.5 ms).
# Not with SQLite: its writers wait for the database lock in SQLite's sleep-and-retry loop, and more
# preemption of the writer holding it made those sleeps longer (50/s with 5 ms, 46/s with 0.5 ms).
if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
    sys.setswitchinterval(0.0005)

__all__ = ["app", "socketio"]
