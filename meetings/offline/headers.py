"""The briefcase's two HTTP signals: the sign-out's Clear-Site-Data, and the header the service worker
puts on what it fetches ahead, so that a page kept for later is not logged as read now."""
from flask import has_request_context, request

# "cache" and "storage" (Cache Storage, IndexedDB, localStorage, the service worker): not "cookies",
# which would also drop the device's language choice; the session cookie is ended by the sign-out.
# Browsers that ignore the header are wiped by the page's own script first (static/js/offline/).
CLEAR_SITE_DATA = '"cache", "storage"'
PREFETCH_HEADER = "X-Meetings-Briefcase"


def wipe_device(response):
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def is_prefetch() -> bool:
    """The service worker is filling the briefcase: nobody is reading this page now."""
    return has_request_context() and request.headers.get(PREFETCH_HEADER) == "1"
