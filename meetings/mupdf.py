"""The one door to MuPDF. PyMuPDF is not thread-safe: every call into it holds this lock.

Web workers run threads (Flask-SocketIO's threading mode), so two requests could otherwise enter
MuPDF at once. Heavy batch work may instead run in a worker process, which has its own MuPDF.
"""
import functools
import threading

LOCK = threading.RLock()


def serialised(function):
    """Decorate a function that touches pymupdf so that only one thread is inside MuPDF at a time."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with LOCK:
            return function(*args, **kwargs)

    return wrapper
