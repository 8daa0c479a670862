"""Task pages for reading: the follow-up dashboard, one task, a meeting's conclusions, the report
(page, CSV, PDF) and the completion file. Every object goes through access.py first."""
from dataclasses import replace
from datetime import timedelta

from flask import abort, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from meetings.calendar.conflicts import overlapping
from meetings.calendar.models import Event
from meetings.directory import services as directory
from meetings import downloads
from meetings.dossiers import agenda
from meetings.dossiers.models import Meeting
from meetings.errors import NotFound, ValidationFailed
from meetings.extensions import db
from meetings.tasks import bp, conclusion_notice, conclusions, files, printing, reports, services
from meetings.tasks.access import can_manage_tasks, conclusion_rights, minutes_rights, task_rights
from meetings.tasks.api import filters_from
from meetings.tasks.dates import days_overdue, done_late, local_today, read_period
from meetings.tasks.models import Conclusion
from meetings.tasks.present import ACTION_LABELS, PRIORITY_LABELS, SOURCE_LABELS, STATUS_LABELS
from meetings.tasks.queries import find_tasks, per_unit, summary
from meetings.timeutil import now_utc
from meetings.web import set_nav_endpoint

set_nav_endpoint("tasks", "tasks.index")


def _today():
    return local_today(now_utc())


def choices() -> dict:
    """Units, people and leaders for filters and forms, as (value, label) pairs."""
    units = directory.unit_tree()
    leaders = db.session.scalars(directory.search_users(role="leader", active=True))
    people = db.session.scalars(directory.search_users(active=True))
    return {"units": units, "unit_options": [(unit.id, "\u00a0\u00a0" * depth + unit.name) for unit, depth in units],
            "leader_options": [(person.id, person.display_name) for person in leaders],
            "people_options": [(person.id, f"{person.name} ({person.unit.name})" if person.unit else person.name)
                               for person in people]}


@bp.app_context_processor
def labels():
    return {"task_labels": {"status": STATUS_LABELS, "priority": PRIORITY_LABELS, "source": SOURCE_LABELS,
                            "action": ACTION_LABELS}, "task_filter_url": filter_url}


def filter_url(**changes) -> str:
    """The dashboard with the current filters and these changed (the cards and unit rows link so)."""
    return url_for("tasks.index", **(request.args.to_dict() | changes))


bp.add_app_template_filter(days_overdue, "task_days_overdue")
bp.add_app_template_filter(done_late, "task_done_late")


def _or_404(function, *args):
    try:
        return function(*args)
    except NotFound:
        abort(404)


@bp.get("/")
@login_required
def index():
    today = _today()
    args = request.args.to_dict()
    if current_user.role == "leader" and "leader_id" not in args:
        args["leader_id"] = str(current_user.id)  # a leader's own follow-up first
    try:
        filters = filters_from(MultiDict(args), today)
    except ValidationFailed as exc:
        return render_template("tasks/index.html", errors=exc.fields, tasks=[], cards={}, units_summary=[],
                               filters=None, today=today, can_manage=can_manage_tasks(current_user),
                               **choices()), 422
    shown = find_tasks(current_user, filters, today)
    everything = find_tasks(current_user, replace(filters, status="all"), today)
    return render_template("tasks/index.html", tasks=shown, cards=summary(everything, today),
                           units_summary=per_unit(everything, today), filters=filters, today=today, errors={},
                           can_manage=can_manage_tasks(current_user), **choices())


@bp.get("/<int:task_id>")
@login_required
def task(task_id: int):
    found = _or_404(services.get_task, task_id, current_user)
    return render_template("tasks/task.html", task=found, rights=task_rights(current_user, found), today=_today(),
                           max_mb=files.limit() // (1024 * 1024))


@bp.get("/<int:task_id>/report-file")
@login_required
def report_file(task_id: int):
    found = _or_404(services.get_task, task_id, current_user)
    if not found.report_file_key or not files.path_of(found.report_file_key).exists():
        abort(404)
    # Always a download: an uploaded file is never shown inside our origin.
    response = send_file(files.path_of(found.report_file_key), as_attachment=True, mimetype="application/octet-stream")
    return downloads.name_file(response, found.report_file_name, fallback="bao-cao")


@bp.get("/meetings")
@login_required
def meetings():
    now = now_utc()
    counts = dict(db.session.execute(select(Conclusion.meeting_id, func.count()).group_by(Conclusion.meeting_id)).all())
    recent = db.session.scalars(select(Event).where(overlapping(now - timedelta(days=90), now + timedelta(days=14)),
                                                    Event.status == "published").order_by(Event.start_at.desc()))
    shown = [(event, counts.get(event.id, 0)) for event in recent if conclusion_rights(current_user, event).see]
    return render_template("tasks/meetings.html", meetings=shown)


@bp.get("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    return meeting_page(_or_404(conclusions.get_meeting, meeting_id, current_user))


def meeting_page(found, errors=None, form=None, status=200):
    """The meeting's conclusions, each with the tasks from it that the reader may see; the agenda
    items to file a conclusion under, and the minutes, when the entry is a meeting with a dossier."""
    listed = conclusions.conclusions_of(found)
    shown = {c.id: [t for t in c.tasks if task_rights(current_user, t).see] for c in listed}
    dossier = db.session.get(Meeting, found.id)
    numbers = agenda.numbering(dossier) if dossier else {}
    items = [(item.id, f"{numbers[item.id]}. {item.title}") for item in agenda.ordered(dossier)] if dossier else []
    return render_template("tasks/meeting.html", meeting=found, conclusions=listed, shown_tasks=shown,
                           rights=conclusion_rights(current_user, found), errors=errors or {}, form=form or {},
                           today=_today(), agenda_items=items, item_labels=dict(items),
                           minutes_link=dossier is not None and minutes_rights(current_user, dossier).read,
                           notice_readable=conclusion_notice.readable(found, current_user)), status


def _report():
    today = _today()
    try:
        start, end = read_period(request.args, today)
    except ValidationFailed:
        abort(422)
    return reports.build(current_user, start, end, today)


@bp.get("/report")
@login_required
def report():
    built = _report()
    column = request.args.get("column") if request.args.get("column") in reports.COLUMNS else None
    unit_id = request.args.get("unit_id", type=int)
    row = next((r for r in built.rows if r.unit.id == unit_id), None) if unit_id else built.total
    listed = row.lists[column] if column and row is not None else None
    return render_template("tasks/report.html", report=built, columns=reports.COLUMNS, column=column,
                           listed=listed, listed_unit=row.unit if row is not None else None)


@bp.get("/report.csv")
@login_required
def report_csv():
    built = _report()
    return reports.to_csv(built), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        **downloads.headers(f"bao-cao-nhiem-vu-{built.start}-{built.end}.csv")}


@bp.get("/report.pdf")
@login_required
def report_pdf():
    built = _report()
    return printing.report_pdf(built), 200, {
        "Content-Type": "application/pdf",
        **downloads.headers(f"bao-cao-nhiem-vu-{built.start}-{built.end}.pdf", inline=True)}
