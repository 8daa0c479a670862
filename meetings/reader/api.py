"""/api/v1 routes of the reader: annotations (the contract), the annotated copy, the page layout and
text layer, carry-over to a new version, and my notes. Thin: parse, call a service, serialise."""
from flask import g, request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.routes import json_body
from meetings.dossiers import reading
from meetings.dossiers.responses import private_pdf
from meetings.errors import Forbidden
from meetings.reader import api_docs, carryover, export, notes, services  # noqa: F401  (api_docs registers)
from meetings.reader.access import can_export_annotated
from meetings.reader.layout import words_of
from meetings.reader.present import annotation_json
from meetings.timeutil import now_utc


@bp.get("/documents/<int:document_id>/annotations")
def list_annotations(document_id: int):
    version, rows = services.list_annotations(document_id, g.api_user, request.args.get("version", type=int))
    return {"version": version.number, "annotations": [annotation_json(a) for a in rows]}


@bp.put("/documents/<int:document_id>/annotations/<annotation_id>")
def put_annotation(document_id: int, annotation_id: str):
    annotation, created = services.save_annotation(document_id, annotation_id, json_body(), g.api_user, now_utc())
    return annotation_json(annotation), 201 if created else 200


@bp.delete("/documents/<int:document_id>/annotations/<annotation_id>")
def delete_annotation(document_id: int, annotation_id: str):
    services.delete_annotation(document_id, annotation_id, g.api_user, now_utc(), request.args.get("updated_at"))
    return "", 204


@bp.get("/documents/<int:document_id>/annotated")
def annotated_copy(document_id: int):
    user, now = g.api_user, now_utc()
    document = reading.get_document(document_id, user)
    if not can_export_annotated(user, document):
        raise Forbidden(_("This document may only be read in the app: it cannot be downloaded or printed."))
    stamped, filename = reading.personal_file(document_id, user, now)
    rows = services.visible(document, document.latest, user)
    if request.args.get("shared") not in ("1", "true"):
        rows = [a for a in rows if a.user_id == user.id]
    return private_pdf(export.annotate(stamped, rows), filename.removesuffix(".pdf") + " – " + _("annotated") + ".pdf")


@bp.get("/documents/<int:document_id>/layout")
def page_layout(document_id: int):
    document = reading.get_document(document_id, g.api_user)
    version = reading.version_of(document, request.args.get("version", type=int), g.api_user)
    found = services.layout(document, version)
    return {"version": version.number, "pages": [p.to_json() for p in found.pages],
            "outline": [{"level": level, "title": title, "page": page} for level, title, page in found.outline]}


@bp.get("/documents/<int:document_id>/pages/<int:page>/words")
def page_words(document_id: int, page: int):
    document = reading.get_document(document_id, g.api_user)
    version = reading.version_of(document, request.args.get("version", type=int), g.api_user)
    if not 1 <= page <= version.pages:
        return {"error": {"code": "not_found", "message": _("There is no page %(number)s.", number=page)}}, 404
    words = words_of(version.sha256, page, lambda: reading.version_pdf(document, version))
    return {"page": page, "words": [list(w) for w in words]}


@bp.get("/documents/<int:document_id>/carry-over")
def carry_over_offer(document_id: int):
    return carryover.offer(document_id, g.api_user)


@bp.post("/documents/<int:document_id>/carry-over")
def carry_over(document_id: int):
    return carryover.carry_over(document_id, g.api_user, now_utc())


@bp.get("/meetings/<int:meeting_id>/my-notes")
def my_notes(meeting_id: int):
    _meeting, found = notes.my_notes(meeting_id, g.api_user)
    return {"notes": [n.to_json() for n in found]}


@bp.get("/meetings/<int:meeting_id>/my-notes/pdf")
def my_notes_pdf(meeting_id: int):
    meeting, found = notes.my_notes(meeting_id, g.api_user)
    data = notes.summary_pdf(meeting.event.title, found, g.api_user)
    return private_pdf(data, _("My notes") + f" – {meeting.event.title}.pdf")
