"""The reader page: one document of a meeting, with the meeting's other documents one tap away.
Everything else (pages, text layer, annotations) comes from the JSON API; see static/js/reader/."""
import json

from flask import abort, render_template, request
from flask_login import current_user, login_required

from meetings.dossiers import reading
from meetings.dossiers.access import (can_download_document, can_see_document, gets_stamped_images,
                                      reads_as_images)
from meetings.errors import Conflict, NotFound
from meetings.live.access import can_join_room, can_present
from meetings.offline.headers import is_prefetch
from meetings.reader import bp
from meetings.timeutil import now_utc


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
    # A document the reader may not keep comes as page images with their stamp drawn in (the same
    # lines as a stamped copy): no overlay on top, which would only blur the page with a second stamp.
    return render_template(
        "reader/reader.html", document=document, meeting=meeting, downloadable=downloadable,
        siblings=siblings, siblings_json=json.dumps(siblings, ensure_ascii=False),
        stamped_images=gets_stamped_images(current_user, document),
        # `download` and `app`: pdf.js draws the stamped copy; `screen`: the server's page images.
        draws_pdf=not reads_as_images(current_user, document),
        live_mode=live_mode(meeting))


def live_mode(meeting) -> str | None:
    """?follow=MEETING_ID: the reader turns with that meeting's presenter; ?present=MEETING_ID: this
    reader is the presenter's, and others follow it (reader/follow.js)."""
    if request.args.get("present") == str(meeting.id) and can_present(current_user, meeting):
        return "present"
    if request.args.get("follow") == str(meeting.id) and can_join_room(current_user, meeting):
        return "follow"
    return None
