"""Document pages: the reader (page images), and for secretaries uploads, settings, versions and the log."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.dossiers import agenda, bp, documents, reading, services
from meetings.dossiers.access import can_download_document, can_get_original, can_manage_meeting
from meetings.dossiers.routes import _act, _flash_error
from meetings.errors import NotFound, ServiceError
from meetings.extensions import db
from meetings.timeutil import now_utc


@bp.post("/<int:meeting_id>/documents")
@login_required
def upload(meeting_id: int):
    """Several files at once (the form without JavaScript; dossiers.js sends them one by one with progress)."""
    files = [f for f in request.files.getlist("files") if f.filename]
    settings = {k: v for k, v in request.form.items() if k in ("agenda_item_id", "access") and v}
    stored = 0
    try:  # refused before the files are looked at, even when none came
        services.managed_meeting(meeting_id, current_user, lock=False)
    except ServiceError as exc:
        abort(exc.status)
    for file in files:
        try:
            data = _read_and_close(file)
            document = documents.upload(meeting_id, data, file.filename, settings, current_user, now_utc())
            if document.state == "refused":  # the worker ran at once (no separate worker configured)
                flash(f"{file.filename}: {document.refusal_reason}", "error")
                continue
            stored += 1
        except NotFound:
            abort(404)
        except ServiceError as exc:
            db.session.rollback()
            flash(f"{file.filename}: {exc.message}", "error")
    if stored:
        flash(_("%(n)d documents received. Each is checked before participants can read it.", n=stored), "success")
    return redirect(url_for("dossiers.meeting", meeting_id=meeting_id) + "#documents")


@bp.get("/documents/<int:document_id>")
@login_required
def document(document_id: int):
    try:
        document = reading.get_document(document_id, current_user, any_state=True)
    except NotFound:
        abort(404)
    meeting = document.meeting
    manager = can_manage_meeting(current_user, meeting)
    if document.readable:
        reading.log(document, document.current_version, current_user, "view", now_utc())
    context = {"document": document, "meeting": meeting, "manager": manager,
               "can_download": can_download_document(current_user, document),
               "can_original": can_get_original(current_user, document)}
    if manager:
        context.update(log=reading.access_log(document), unread=reading.not_opened(meeting)[document.id],
                       items=agenda.ordered(meeting), numbers=agenda.numbering(meeting))
    return render_template("dossiers/document.html", **context)


@bp.post("/documents/<int:document_id>/settings")
@login_required
def document_settings(document_id: int):
    meeting_id = _meeting_of(document_id)
    data = {"title": request.form.get("title"), "agenda_item_id": request.form.get("agenda_item_id") or None,
            "audience": request.form.get("audience", "all"), "access": request.form.get("access", "download"),
            "reader_ids": request.form.getlist("reader_ids")}
    _act(meeting_id, "", lambda: documents.update_document(document_id, data, current_user, now_utc()),
         _("Document settings saved."))
    return redirect(url_for("dossiers.document", document_id=document_id))


@bp.post("/documents/<int:document_id>/versions")
@login_required
def new_version(document_id: int):
    _meeting_of(document_id)
    file = request.files.get("file")
    try:  # no file is the service's to report, after it has checked who is asking
        data = _read_and_close(file) if file is not None and file.filename else None
        document = documents.add_version(document_id, data, file.filename if data is not None else "", current_user,
                                         now_utc())
        if document.state == "refused":
            flash(document.refusal_reason, "error")
        elif document.state == "processing":
            flash(_("New version received. It replaces the current one once it has been checked."), "success")
        else:
            flash(_("New version uploaded. Participants see the document as updated."), "success")
    except ServiceError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            abort(exc.status)
        _flash_error(exc)
    return redirect(url_for("dossiers.document", document_id=document_id))


@bp.post("/documents/<int:document_id>/delete")
@login_required
def delete_document(document_id: int):
    meeting_id = _meeting_of(document_id)
    return _act(meeting_id, "documents", lambda: documents.delete_document(document_id, current_user, now_utc()),
                _("Document removed."))


def _read_and_close(file) -> bytes:
    try:
        return file.read()
    finally:
        file.close()  # a large upload is spooled to a temporary file: release it now


def _meeting_of(document_id: int) -> int:
    try:
        return reading.get_document(document_id, current_user, any_state=True).meeting_id
    except NotFound:
        abort(404)
