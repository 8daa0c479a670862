"""Pages of the conclusion notice: prepare (the meeting's secretaries), preview, issue, read and
download; and the admin's page for the signing certificate. Thin: every rule is in
conclusion_notice.py, signing.py and access.py."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.auth.decorators import allowed_only
from meetings.auth.permissions import can_set_signing_certificate
from meetings.errors import NotFound, ValidationFailed
from meetings.tasks import bp, signing
from meetings.tasks import conclusion_notice as notices
from meetings.tasks.access import notice_rights
from meetings.tasks.api import pdf_response
from meetings.tasks.routes import choices
from meetings.timeutil import now_utc
from meetings.web import flashed_errors


def _page(meeting_id: int, errors=None, status=200):
    try:
        meeting, notice = notices.find(meeting_id, current_user)
        rights = notice_rights(current_user, meeting, notice)
        if rights.manage and notice is None:
            notice = notices.draft(meeting_id, current_user, now_utc())
    except NotFound:
        abort(404)
    if notice is None:
        abort(404)
    options = choices()
    return render_template("tasks/notice.html", meeting=meeting, notice=notice, rights=rights, errors=errors or {},
                           number=notices.number_text(notice), recipients=notices.recipients(notice),
                           signer_options=options["people_options"], unit_options=options["unit_options"],
                           certificate=signing.current_certificate() if rights.manage else None), status


@bp.get("/meetings/<int:meeting_id>/notice")
@login_required
def notice(meeting_id: int):
    return _page(meeting_id)


@bp.post("/meetings/<int:meeting_id>/notice")
@login_required
def save_notice(meeting_id: int):
    data = request.form.to_dict() | {"recipient_unit_ids": request.form.getlist("recipient_unit_ids")}
    with flashed_errors() as saved:
        try:
            notices.save(meeting_id, data, current_user, now_utc())
        except ValidationFailed as exc:  # the form again, with each field's message beside it
            return _page(meeting_id, exc.fields, 422)
    if saved.ok:
        flash(_("Draft saved."), "success")
    return redirect(url_for("tasks.notice", meeting_id=meeting_id))


@bp.get("/meetings/<int:meeting_id>/notice/preview.pdf")
@login_required
def preview_notice(meeting_id: int):
    try:
        meeting, notice = notices.find(meeting_id, current_user)
    except NotFound:
        abort(404)
    if not notice_rights(current_user, meeting, notice).manage:
        abort(403)
    if notice is not None and notice.status != "draft":
        return redirect(url_for("tasks.notice_pdf", meeting_id=meeting_id))
    pdf = notices.preview(meeting_id, current_user, now_utc())
    return pdf_response(pdf, notices.draft(meeting_id, current_user, now_utc()))


@bp.post("/meetings/<int:meeting_id>/notice/issue")
@login_required
def issue_notice(meeting_id: int):
    with flashed_errors() as done:
        issued = notices.issue(meeting_id, request.form.to_dict(), current_user, now_utc())
    if done.ok:
        flash(_("Notice %(number)s issued.", number=notices.number_text(issued)), "success")
    return redirect(url_for("tasks.notice", meeting_id=meeting_id))


@bp.get("/meetings/<int:meeting_id>/notice.pdf")
@login_required
def notice_pdf(meeting_id: int):
    try:
        issued, pdf = notices.issued_pdf(meeting_id, current_user)
    except NotFound:
        abort(404)
    return pdf_response(pdf, issued, "attachment" if request.args.get("download") else "inline")


@bp.route("/signing", methods=["GET", "POST"])
@allowed_only(can_set_signing_certificate)
def signing_certificate():
    errors, status = {}, 200
    if request.method == "POST":
        upload = request.files.get("certificate")
        try:
            signing.install_certificate(upload.read(signing.MAX_BYTES + 1) if upload else b"",
                                        request.form.get("passphrase", ""), current_user, now_utc())
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        else:
            flash(_("Signing certificate saved. Notices issued from now on are signed with it."), "success")
            return redirect(url_for("tasks.signing_certificate"))
    stored = signing.current_certificate()
    return render_template("tasks/signing.html", certificate=signing.describe(stored) if stored else None,
                           errors=errors), status


@bp.post("/signing/remove")
@allowed_only(can_set_signing_certificate)
def remove_signing_certificate():
    signing.remove_certificate(current_user)
    flash(_("Signing certificate removed: notices are issued unsigned."), "success")
    return redirect(url_for("tasks.signing_certificate"))
