"""The briefcase as the service worker reads it: for each kept meeting, the addresses to keep, exactly
as the pages ask for them (the worker answers those requests from its cache when offline)."""
from flask import url_for

from meetings.dossiers.access import gets_stamped_images
from meetings.offline.briefcase import KeptMeeting
from meetings.timeutil import as_utc


def document_urls(document, user) -> list[str]:
    """What the reader needs to open, turn, zoom and annotate the document with no network: the personal
    stamped copy that pdf.js draws (the worker answers its byte ranges from the kept file), the layout,
    my annotations, the words the highlighter snaps to and the thumbnails (server images, stamped for a
    reader who may not keep the file)."""
    doc_id, version = document.id, document.current_version
    urls = [url_for("reader.read", document_id=doc_id),
            url_for("api.document_file", document_id=doc_id),
            url_for("api.page_layout", document_id=doc_id),
            url_for("api.list_annotations", document_id=doc_id, version=version)]
    stamped = {"stamped": 1} if gets_stamped_images(user, document) else {}
    for page in range(1, document.pages + 1):
        urls.append(url_for("api.page_words", document_id=doc_id, page=page))
        urls.append(url_for("api.thumbnail", document_id=doc_id, page=page, **stamped))
    return urls


def iso(moment) -> str:
    return as_utc(moment).isoformat()


def kept_json(entry: KeptMeeting, user) -> dict:
    meeting = entry.meeting
    return {
        "id": meeting.id, "title": meeting.event.title, "reason": entry.reason,
        "starts_at": iso(meeting.event.start_at), "ends_at": iso(meeting.event.end_at),
        "remove_after": iso(entry.remove_after),
        "urls": [url_for("dossiers.meeting", meeting_id=meeting.id)],
        "documents": [{"id": d.id, "title": d.title, "access": d.access, "version": d.current_version,
                       "urls": document_urls(d, user)} for d in entry.documents],
        "online_only": [{"id": d.id, "title": d.title, "access": d.access} for d in entry.online_only],
    }
