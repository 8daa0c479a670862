"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn -w 1 --threads 100 wsgi:app`)."""
import gc

from meetings import create_app
from meetings.extensions import socketio

app = create_app()

# What start-up created (modules, the URL map, templates: about 250,000 objects) lives as long as the
# process. Frozen, it is left out of every later collection, so a full collection walks only what
# requests made: building a 5,000-entry feed paid about 120 ms per full collection without this.
gc.freeze()

__all__ = ["app", "socketio"]
