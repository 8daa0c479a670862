"""/api/v1 for conclusions, tasks, the task report and the minutes. Thin: parse, call a service, serialise."""
from flask import g, request
from flask_babel import gettext as _

from meetings import downloads
from meetings.api import bp
from meetings.api.routes import json_body
from meetings.dossiers.responses import private_pdf
from meetings.errors import NotFound, ValidationFailed
from meetings.tasks import (conclusion_notice, conclusions, lifecycle, minutes, openapi_paths,  # noqa: F401 (paths)
                            reports, services)
from meetings.tasks import minutes_pdf as minutes_printing
from meetings.tasks.dates import local_today, read_period
from meetings.tasks.present import conclusion_json, task_json
from meetings.tasks.queries import STATUS_FILTERS, Filters, find_tasks
from meetings.timeutil import now_utc


@bp.get("/meetings/<int:meeting_id>/conclusions")
def list_conclusions(meeting_id: int):
    meeting = conclusions.get_meeting(meeting_id, g.api_user)
    return {"conclusions": [conclusion_json(c) for c in conclusions.conclusions_of(meeting)]}


@bp.post("/meetings/<int:meeting_id>/conclusions")
def record_conclusion(meeting_id: int):
    conclusion = conclusions.record_conclusion(meeting_id, json_body(), g.api_user, now_utc())
    return conclusion_json(conclusion), 201


def filters_from(args, today) -> Filters:
    status = args.get("status") or "all"
    if status not in STATUS_FILTERS:
        raise ValidationFailed({"status": _("Must be one of: %(choices)s.", choices=", ".join(STATUS_FILTERS))})
    start, end = read_period(args, today, default=None)
    return Filters(status=status, unit_id=args.get("unit_id", type=int), leader_id=args.get("leader_id", type=int),
                   meeting_id=args.get("meeting_id", type=int), start=start, end=end)


def pdf_response(pdf: bytes, notice, disposition: str = "inline"):
    """A notice's PDF (also for the pages): never cached by a shared cache."""
    name = f"thong-bao-ket-luan-{notice.number or 'du-thao'}-{notice.year or ''}.pdf".replace("-.pdf", ".pdf")
    return pdf, 200, {"Content-Type": "application/pdf", **downloads.headers(name, inline=disposition == "inline"),
                      "Cache-Control": "private, no-store"}


@bp.get("/meetings/<int:meeting_id>/notice.pdf")
def notice_pdf(meeting_id: int):
    notice, pdf = conclusion_notice.issued_pdf(meeting_id, g.api_user)
    return pdf_response(pdf, notice)


@bp.get("/tasks")
def list_tasks():
    today = local_today(now_utc())
    found = find_tasks(g.api_user, filters_from(request.args, today), today)
    return {"tasks": [task_json(task, g.api_user, today) for task in found]}


@bp.post("/tasks")
def create_task():
    task = services.create_task(json_body(), g.api_user, now_utc())
    return task_json(task, g.api_user), 201


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int):
    return task_json(services.get_task(task_id, g.api_user), g.api_user, with_history=True)


@bp.patch("/tasks/<int:task_id>")
def change_task(task_id: int):
    task = lifecycle.change(task_id, json_body(), g.api_user, now_utc())
    return task_json(task, g.api_user, with_history=True)


@bp.get("/reports/tasks.csv")
def report_csv():
    today = local_today(now_utc())
    start, end = read_period(request.args, today)
    report = reports.build(g.api_user, start, end, today)
    return reports.to_csv(report), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        **downloads.headers(f"bao-cao-nhiem-vu-{start}-{end}.csv")}


@bp.get("/meetings/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int):
    """The current minutes (approved, else the draft, marked so), or ?version=N of the older ones."""
    meeting = minutes.get_meeting(meeting_id, g.api_user)
    number = request.args.get("version", type=int)
    row = minutes.get_version(meeting, number) if number else minutes.current(meeting)
    if row is None:
        raise NotFound(_("There are no minutes for this meeting yet."))
    return private_pdf(minutes_printing.minutes_pdf(meeting, row),
                       f"bien-ban-{meeting.id}-lan-{row.version_no}.pdf", inline=True)
