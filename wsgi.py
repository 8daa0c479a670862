"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn -w 1 --threads 100 wsgi:app`)."""
from meetings import create_app
from meetings.extensions import socketio

app = create_app()

__all__ = ["app", "socketio"]
