"""The reader page: one document of a meeting, with the meeting's other documents one tap away.
Everything else (pages, text layer, annotations) comes from the JSON API; see static/js/reader/."""
import json

from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from meetings.assets import build_version
from meetings.dossiers import reading
from meetings.dossiers.access import (can_download_document, can_see_document, gets_stamped_images,
                                      reads_as_images)
from meetings.dossiers.personal import PREVIEW_WIDTH
from meetings.errors import Conflict, NotFound
from meetings.live.access import can_join_room, can_present
from meetings.offline.headers import is_prefetch
from meetings.reader import bp
from meetings.timeutil import now_utc

# Set by the browser once it holds this build's pdf.js (static/js/app.js after the home page's prefetch,
# static/js/reader/pdfpages.js after a reading): its value is the build. Without it, the reader's page
# names page 1's image to show while pdf.js arrives.
PDFJS_COOKIE = "meetings_pdfjs"


@bp.get("/documents/<int:document_id>")
@login_required
def read(document_id: int):
    try:
        document = reading.get_document(document_id, current_user)
    except NotFound:
        abort(404)
    except Conflict as exc:  # the secretary opened a document the worker has not finished
        abort(409, exc.message)
    now = now_utc()
    if not is_prefetch():  # kept by the offline briefcase for later: not read yet
        reading.log(document, document.current_version, current_user, "view", now, once=True)
    meeting = document.meeting
    siblings = [{"id": d.id, "title": d.title, "pages": d.pages} for d in meeting.documents
                if d.readable and can_see_document(current_user, d)]
    downloadable = can_download_document(current_user, document)
    stamped_images = gets_stamped_images(current_user, document)
    # `download` and `app`: pdf.js draws the stamped copy; `screen`: the server's page images.
    draws_pdf = not reads_as_images(current_user, document)
    preview = page_one_preview(document, stamped_images) if draws_pdf else None
    # A document the reader may not keep comes as page images with their stamp drawn in (the same
    # lines as a stamped copy): no overlay on top, which would only blur the page with a second stamp.
    response = make_response(render_template(
        "reader/reader.html", document=document, meeting=meeting, downloadable=downloadable,
        siblings=siblings, siblings_json=json.dumps(siblings, ensure_ascii=False),
        stamped_images=stamped_images, draws_pdf=draws_pdf, preview=preview,
        live_mode=live_mode(meeting)))
    # Asked for with the HTML's first bytes, before the page's scripts and styles: page 1's image, and
    # the layout (main.js's fetch of it finds it in flight, instead of asking once its modules are in).
    if preview:
        response.headers.add("Link", f"<{preview}>; rel=preload; as=image; fetchpriority=high")
    layout = url_for("api.page_layout", document_id=document.id)
    response.headers.add("Link", f"<{layout}>; rel=preload; as=fetch; crossorigin")
    return response


def page_one_preview(document, stamped: bool) -> str | None:
    """Page 1's image, shown while pdf.js starts on a browser that may not have it yet (no cookie naming
    this build): 1024 px, what a first look needs, made ahead by the worker. The image route checks
    access as for any page: the reader's own stamped image for an `app` document (`stamped`, as the
    image fallback asks for it), the shared unstamped one for a reader who may download (their file is
    the stamped one). None when pdf.js is in the browser's cache, or the offline briefcase's service
    worker fetches the page to keep (offline, pdf.js comes from the device at once)."""
    if request.cookies.get(PDFJS_COOKIE) == build_version() or is_prefetch():
        return None
    extra = {"stamped": 1} if stamped else {}
    return url_for("api.page_image", document_id=document.id, page=1, width=PREVIEW_WIDTH, **extra)


def live_mode(meeting) -> str | None:
    """?follow=MEETING_ID: the reader turns with that meeting's presenter; ?present=MEETING_ID: this
    reader is the presenter's, and others follow it (reader/follow.js)."""
    if request.args.get("present") == str(meeting.id) and can_present(current_user, meeting):
        return "present"
    if request.args.get("follow") == str(meeting.id) and can_join_room(current_user, meeting):
        return "follow"
    return None
