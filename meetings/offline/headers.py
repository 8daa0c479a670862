"""The briefcase's two HTTP signals: the sign-out's Clear-Site-Data, and the header the service worker
puts on what it fetches ahead, so that a page kept for later is not logged as read now."""
from flask import has_request_context, request

# "storage" (Cache Storage, IndexedDB, localStorage, the service worker). Not "cookies", which would
# also drop the device's language choice (the sign-out ends the session cookie anyway), and not
# "cache": Chromium held the sign-out's redirect for over 10 s while it cleared its HTTP cache, and
# what matters there is already kept out of it (personal copies are no-store). Browsers that ignore
# the header are wiped by the page's own script first (static/js/offline/wipe.js).
CLEAR_SITE_DATA = '"storage"'
PREFETCH_HEADER = "X-Meetings-Briefcase"


def wipe_device(response):
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def is_prefetch() -> bool:
    """The service worker is filling the briefcase: nobody is reading this page now."""
    return has_request_context() and request.headers.get(PREFETCH_HEADER) == "1"
