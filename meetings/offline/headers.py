"""The headers the app's own scripts send: the service worker's on what it fetches ahead (a page or a copy
kept for later is not logged as read now), and the reader's pdf.js's on the copy it draws.

Why the sign-out sends no Clear-Site-Data: with "storage", Chromium held the sign-out's redirect, in
most tries and for good, while it waited to remove the service worker that still controlled the page
being signed out (with "cache" too, over 10 s on every try). The page wipes the device itself before
it signs out (static/js/offline/wipe.js: every cache, IndexedDB, localStorage, the worker), and a
device signed out elsewhere drops its kept meetings on its next sync (the briefcase answers 401).
"""
from flask import has_request_context, request

PREFETCH_HEADER = "X-Meetings-Briefcase"
# The reader's pdf.js sends it (a link or a typed address cannot): an `app` document's personal copy is
# handed out to be drawn in the app, never as a file (dossiers/api.py); the worker sends it when it keeps one.
READER_HEADER = "X-Meetings-Reader"


def is_prefetch() -> bool:
    """The service worker is filling the briefcase: nobody is reading this page now."""
    return has_request_context() and request.headers.get(PREFETCH_HEADER) == "1"
