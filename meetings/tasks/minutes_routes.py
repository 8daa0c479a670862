"""The minutes page of a meeting: read, generate from the record, edit, approve, reopen, versions.

Thin: each form calls one service in minutes.py. A refused change shows the page again with the
reason and with what the person typed, so nothing they wrote is lost.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.errors import Forbidden, NotFound, ServiceError, ValidationFailed
from meetings.tasks import bp, minutes
from meetings.tasks.access import minutes_rights
from meetings.tasks.present import MINUTES_STATUS_LABELS
from meetings.timeutil import now_utc


def _meeting(meeting_id: int):
    try:
        return minutes.get_meeting(meeting_id, current_user)
    except NotFound:
        abort(404)


def minutes_page(meeting, shown=None, error=None, typed=None, errors=None, status=200):
    """`shown` is the version on screen (the current one by default); `typed` a text not saved."""
    row = minutes.current(meeting)
    return render_template("tasks/minutes.html", meeting=meeting, event=meeting.event, current=row,
                           shown=shown or row, versions=minutes.versions(meeting),
                           rights=minutes_rights(current_user, meeting), labels=MINUTES_STATUS_LABELS,
                           error=error, typed=typed, errors=errors or {}), status


@bp.get("/meetings/<int:meeting_id>/minutes")
@login_required
def meeting_minutes(meeting_id: int):
    meeting = _meeting(meeting_id)
    number = request.args.get("version", type=int)
    if number:
        try:
            return minutes_page(meeting, shown=minutes.get_version(meeting, number))
        except NotFound:
            abort(404)
    return minutes_page(meeting)


def _act(meeting_id: int, service, done: str):
    meeting = _meeting(meeting_id)
    data = {name: value for name, value in request.form.items() if name != "csrf_token"}
    try:
        service(meeting_id, data, current_user, now_utc())
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except ValidationFailed as exc:
        return minutes_page(meeting, error=" ".join(exc.fields.values()), typed=data.get("body"),
                            errors=exc.fields, status=422)
    except ServiceError as exc:  # stale (409 with the fresh text on screen) or frozen
        return minutes_page(minutes.get_meeting(meeting_id, current_user), error=exc.message,
                            typed=data.get("body"), status=exc.status)
    flash(done, "success")
    return redirect(url_for("tasks.meeting_minutes", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/minutes/generate")
@login_required
def generate_minutes(meeting_id: int):
    return _act(meeting_id, minutes.generate, _("The minutes were drawn up from the meeting's record."))


@bp.post("/meetings/<int:meeting_id>/minutes/edit")
@login_required
def edit_minutes(meeting_id: int):
    return _act(meeting_id, minutes.edit, _("The minutes were saved."))


@bp.post("/meetings/<int:meeting_id>/minutes/approve")
@login_required
def approve_minutes(meeting_id: int):
    return _act(meeting_id, minutes.approve, _("The minutes were approved and are now frozen."))


@bp.post("/meetings/<int:meeting_id>/minutes/reopen")
@login_required
def reopen_minutes(meeting_id: int):
    return _act(meeting_id, minutes.reopen, _("The minutes were reopened as a new draft version."))
