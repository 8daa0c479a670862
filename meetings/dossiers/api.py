"""/api/v1/meetings and /api/v1/documents: meetings and their dossiers over JSON. Thin: parse, call, serialise."""
from flask import g, request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.routes import json_body
from meetings.offline.headers import READER_HEADER, is_prefetch
from meetings.dossiers import agenda, api_docs, conversion, documents, reading, services  # noqa: F401  (api_docs)
from meetings.dossiers.access import can_manage_meeting
from meetings.dossiers.models import MeetingChange
from meetings.dossiers.present import document_json, item_json, meeting_json, participant_json, summary_json
from meetings.dossiers.responses import image_response, is_first_range, private_pdf, ranged_pdf
from meetings.errors import Forbidden
from meetings.extensions import db
from meetings.timeutil import now_utc



def _body() -> dict:
    return json_body() if request.content_length else {}


def _meeting(meeting_id: int) -> dict:
    db.session.expire_all()
    return meeting_json(services.get_meeting(meeting_id, g.api_user), g.api_user)


@bp.get("/meetings")
def list_meetings():
    return {"meetings": [summary_json(m) for m in services.my_meetings(g.api_user)]}


@bp.post("/meetings")
def create_meeting():
    meeting = services.create_meeting(json_body(), g.api_user, now_utc())
    return _meeting(meeting.id), 201


@bp.post("/events/<int:event_id>/meeting")
def entry_to_meeting(event_id: int):
    meeting = conversion.meeting_from_entry(event_id, g.api_user, now_utc())
    return _meeting(meeting.id), 201


@bp.get("/meetings/<int:meeting_id>")
def get_meeting(meeting_id: int):
    return _meeting(meeting_id)


@bp.patch("/meetings/<int:meeting_id>")
def update_meeting(meeting_id: int):
    services.set_status(meeting_id, json_body(), g.api_user, now_utc())
    return _meeting(meeting_id)


@bp.get("/meetings/<int:meeting_id>/changes")
def meeting_changes(meeting_id: int):
    meeting = services.get_meeting(meeting_id, g.api_user)
    since = request.args.get("since", 0, type=int)
    rows = db.session.scalars(db.select(MeetingChange).where(
        MeetingChange.meeting_id == meeting.id, MeetingChange.version > since).order_by(MeetingChange.version))
    return {"version": meeting.version, "changes": [{"version": c.version, "type": c.type, "data": c.data}
                                                    for c in rows]}


@bp.post("/meetings/<int:meeting_id>/participants")
def add_participants(meeting_id: int):
    services.add_participants(meeting_id, json_body(), g.api_user, now_utc())
    return _meeting(meeting_id), 201


@bp.patch("/meetings/<int:meeting_id>/participants/<int:user_id>")
def update_participant(meeting_id: int, user_id: int):
    part = services.update_participant(meeting_id, user_id, json_body(), g.api_user, now_utc())
    return participant_json(part)


@bp.delete("/meetings/<int:meeting_id>/participants/<int:user_id>")
def remove_participant(meeting_id: int, user_id: int):
    services.remove_participant(meeting_id, user_id, g.api_user, now_utc(), request.args.get("version"))
    return "", 204


@bp.post("/meetings/<int:meeting_id>/agenda")
def add_agenda_item(meeting_id: int):
    item = agenda.add_item(meeting_id, json_body(), g.api_user, now_utc())
    return item_json(item, []), 201


@bp.patch("/meetings/<int:meeting_id>/agenda/<int:item_id>")
def update_agenda_item(meeting_id: int, item_id: int):
    item = agenda.update_item(meeting_id, item_id, json_body(), g.api_user, now_utc())
    return item_json(item, [])


@bp.delete("/meetings/<int:meeting_id>/agenda/<int:item_id>")
def delete_agenda_item(meeting_id: int, item_id: int):
    agenda.delete_item(meeting_id, item_id, g.api_user, now_utc(), request.args.get("version"))
    return "", 204


@bp.put("/meetings/<int:meeting_id>/agenda/order")
def reorder_agenda(meeting_id: int):
    agenda.reorder(meeting_id, json_body(), g.api_user, now_utc())
    return _meeting(meeting_id)


def uploaded() -> tuple[bytes | None, str]:
    """The sent file, or None: the service says it is missing once it has checked who is asking."""
    file = request.files.get("file")
    if file is None:
        return None, ""
    try:
        return file.read(), file.filename or ""
    finally:
        file.close()  # a large upload is spooled to a temporary file: release it now


@bp.post("/meetings/<int:meeting_id>/documents")
def upload_document(meeting_id: int):
    data, filename = uploaded()
    settings = {k: v for k, v in request.form.items() if k in ("title", "agenda_item_id", "audience", "access",
                                                               "read_only", "version")}
    if "reader_ids" in request.form:
        settings["reader_ids"] = request.form.getlist("reader_ids")
    document = documents.upload(meeting_id, data, filename, settings, g.api_user, now_utc())
    # 202: accepted, and checked by the worker; GET /documents/ID (or the socket) tells when it is ready.
    return document_json(document, g.api_user, True), 202


@bp.get("/meetings/<int:meeting_id>/search")
def search_meeting(meeting_id: int):
    hits = reading.search(g.api_user, request.args.get("q", ""), meeting_id)
    return {"hits": [h.to_json() for h in hits]}


@bp.get("/documents/search")
def search_my_meetings():
    return {"hits": [h.to_json() for h in reading.search(g.api_user, request.args.get("q", ""))]}


@bp.get("/meetings/<int:meeting_id>/dossier")
def dossier(meeting_id: int):
    return private_pdf(*reading.dossier_file(meeting_id, g.api_user, now_utc()))


@bp.get("/meetings/<int:meeting_id>/unread")
def not_opened(meeting_id: int):
    meeting = services.get_meeting(meeting_id, g.api_user)
    if not can_manage_meeting(g.api_user, meeting):
        raise Forbidden(_("Only the meeting's secretaries see who has read what."))
    return {"documents": [{"document_id": doc_id, "not_opened": [p.user_id for p in people]}
                          for doc_id, people in reading.not_opened(meeting).items()]}


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    document = reading.get_document(document_id, g.api_user, any_state=True)
    return document_json(document, g.api_user, can_manage_meeting(g.api_user, document.meeting))


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    document = documents.update_document(document_id, json_body(), g.api_user, now_utc())
    return document_json(document, g.api_user, True)


@bp.delete("/documents/<int:document_id>")
def delete_document(document_id: int):
    documents.delete_document(document_id, g.api_user, now_utc(), request.args.get("version"))
    return "", 204


@bp.post("/documents/<int:document_id>/versions")
def add_version(document_id: int):
    data, filename = uploaded()
    document = documents.add_version(document_id, data, filename, g.api_user, now_utc(), request.form.get("version"))
    return document_json(document, g.api_user, True), 202


@bp.get("/documents/<int:document_id>/file")
def document_file(document_id: int):
    number = request.args.get("version", type=int)
    # The reader's pdf.js says so with a header that a link or a typed address cannot carry: an `app`
    # document is then sent to be drawn, never to the browser's own PDF viewer with its download button.
    in_reader = request.headers.get(READER_HEADER) == "pdfjs"
    data, filename = reading.personal_file(document_id, g.api_user, now_utc(), number, to_keep=not in_reader,
                                           logged=is_first_range() and not is_prefetch())
    return ranged_pdf(data, filename, inline=in_reader)


@bp.get("/documents/<int:document_id>/original")
def original_file(document_id: int):
    data, filename = reading.original_file(document_id, g.api_user, request.args.get("version", type=int))
    response = private_pdf(data, filename)
    response.mimetype = "application/octet-stream"
    return response


@bp.get("/documents/<int:document_id>/pages/<int:page>")
def page_image(document_id: int, page: int):
    width = request.args.get("width", 1024, type=int)
    image = reading.page_picture(document_id, page, g.api_user, now_utc(), width,
                                 request.args.get("format", "jpeg"), request.args.get("version", type=int),
                                 logged=not is_prefetch())
    return image_response(image)


@bp.get("/documents/<int:document_id>/thumbnails/<int:page>")
def thumbnail(document_id: int, page: int):
    image = reading.page_picture(document_id, page, g.api_user, now_utc(), small=True,
                                 number=request.args.get("version", type=int))
    return image_response(image)


@bp.get("/documents/<int:document_id>/log")
def access_log(document_id: int):
    document = reading.get_document(document_id, g.api_user, any_state=True)
    if not can_manage_meeting(g.api_user, document.meeting):
        raise Forbidden(_("Only the meeting's secretaries see who has read what."))
    return {"log": [{"user_id": row.user_id, "name": row.user.name, "version": row.version, "action": row.action,
                     "page": row.page, "at": row.at.isoformat()} for row in reading.access_log(document)]}


@bp.get("/meeting-templates")
def list_templates():
    return {"templates": [{"id": t.id, "name": t.name} for t in services.templates()]}


@bp.post("/meetings/<int:meeting_id>/template")
def save_template(meeting_id: int):
    template = services.save_template(meeting_id, json_body().get("name"), g.api_user)
    return {"id": template.id, "name": template.name}, 201
