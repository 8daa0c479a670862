"""Task pages that change things: assign a task (from a conclusion, a meeting or directly), record
a conclusion, and every step of a task's life. The forms speak the same fields as the API."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.errors import NotFound, ServiceError, ValidationFailed
from meetings.tasks import bp, conclusions, lifecycle, services
from meetings.tasks.access import can_manage_tasks
from meetings.tasks.models import PRIORITIES
from meetings.tasks.routes import choices, meeting_page
from meetings.timeutil import now_utc
from meetings.validation import as_id, parse_id
from meetings.web import flashed_errors


def _task_form(form: dict, errors=None, status=200):
    source = None
    try:
        if form.get("conclusion_id"):
            source = conclusions.get_conclusion(parse_id(form["conclusion_id"], "conclusion_id"), current_user)
        elif form.get("meeting_id"):
            source = conclusions.get_meeting(parse_id(form["meeting_id"], "meeting_id"), current_user)
    except (NotFound, ValidationFailed):
        abort(404)
    return render_template("tasks/form.html", form=form, errors=errors or {}, source=source, priorities=PRIORITIES,
                           **choices()), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_task():
    if not can_manage_tasks(current_user):
        abort(403)
    if request.method == "GET":
        form = {name: request.args.get(name, "") for name in ("conclusion_id", "meeting_id")}
        if form["conclusion_id"]:
            form["title"] = conclusions.get_conclusion(as_id(form["conclusion_id"]), current_user).text[:1000] \
                if as_id(form["conclusion_id"]) else ""
        return _task_form(form)
    data = request.form.to_dict() | {"cooperating_unit_ids": request.form.getlist("cooperating_unit_ids")}
    try:
        task = services.create_task(data, current_user, now_utc())
    except ValidationFailed as exc:
        return _task_form(data, exc.fields, 422)
    flash(_("Task assigned to %(unit)s.", unit=task.unit.name), "success")
    if request.form.get("then") == "another":  # the next task from the same conclusion
        return redirect(url_for("tasks.new_task", conclusion_id=data.get("conclusion_id") or "",
                                meeting_id=data.get("meeting_id") or ""))
    if task.meeting_id:
        return redirect(url_for("tasks.meeting", meeting_id=task.meeting_id))
    return redirect(url_for("tasks.task", task_id=task.id))


@bp.post("/meetings/<int:meeting_id>/conclusions")
@login_required
def record_conclusion(meeting_id: int):
    try:
        conclusions.record_conclusion(meeting_id, request.form.to_dict(), current_user, now_utc())
    except NotFound:
        abort(404)
    except ValidationFailed as exc:
        return meeting_page(conclusions.get_meeting(meeting_id, current_user), exc.fields, request.form, 422)
    except ServiceError as exc:
        abort(exc.status)
    flash(_("Conclusion recorded."), "success")
    return redirect(url_for("tasks.meeting", meeting_id=meeting_id))


@bp.post("/<int:task_id>/change")
@login_required
def change_task(task_id: int):
    data = {name: value for name, value in request.form.items() if name != "csrf_token" and value != ""}
    upload = request.files.get("report_file")
    with flashed_errors() as saved:  # a stale edit is flashed with the others
        lifecycle.change(task_id, data, current_user, now_utc(),
                         upload=(upload.filename, upload.stream) if upload and upload.filename else None)
    if saved.ok:
        flash(_("Saved."), "success")
    return redirect(url_for("tasks.task", task_id=task_id))
