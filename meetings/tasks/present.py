"""Tasks and conclusions as JSON (the API) and as labels (pages, CSV, PDF)."""
from flask_babel import lazy_gettext as _l

from meetings.tasks.access import task_rights
from meetings.tasks.dates import days_late, days_overdue, done_late, local_today
from meetings.tasks.models import Conclusion, Task
from meetings.timeutil import app_zone, now_utc

STATUS_LABELS = {"assigned": _l("Assigned"), "in_progress": _l("In progress"),
                 "extension_requested": _l("Extension requested"), "done": _l("Done"), "cancelled": _l("Cancelled"),
                 # decisions on an extension, as the history shows them
                 "approved": _l("Extension approved"), "rejected": _l("Extension rejected")}
PRIORITY_LABELS = {"normal": _l("Normal"), "high": _l("High"), "urgent": _l("Urgent")}
SOURCE_LABELS = {"meeting": _l("From a meeting"), "conclusion": _l("From a conclusion"),
                 "direct": _l("Direct assignment")}
ACTION_LABELS = {"created": _l("Task created"), "status": _l("Status"), "progress": _l("Progress"),
                 "extension": _l("Due date"), "edit": _l("Changed"), "report_file": _l("Report file")}


def _iso(moment):
    return moment.astimezone(app_zone()).isoformat() if moment else None


def task_json(task: Task, user=None, today=None, with_history: bool = False) -> dict:
    today = today or local_today(now_utc())
    rights = task_rights(user, task) if user is not None else None
    data = {
        "id": task.id, "title": task.title, "unit_id": task.unit_id, "unit": task.unit.name,
        "assignee_id": task.assignee_id, "assignee": task.assignee.name if task.assignee else None,
        "cooperating_unit_ids": task.cooperating_unit_ids, "due": task.due_date.isoformat(),
        "priority": task.priority, "source": task.source, "meeting_id": task.meeting_id,
        "conclusion_id": task.conclusion_id, "leader_id": task.leader_id, "status": task.status,
        "requested_due": task.requested_due.isoformat() if task.requested_due else None,
        "days_overdue": days_overdue(task, today), "done_late": done_late(task), "days_late": days_late(task),
        "completed_at": _iso(task.completed_at), "report": task.report_text,
        "report_file": task.report_file_name, "created_at": _iso(task.created_at), "version": task.version,
    }
    if rights is not None:
        data["can"] = {"work": rights.work, "manage": rights.manage}
    if with_history:
        data["history"] = [{"changed_at": _iso(c.changed_at), "user_id": c.user_id,
                            "user": c.user.name if c.user else None, "action": c.action, "field": c.field,
                            "old": c.old, "new": c.new, "note": c.note} for c in task.changes]
    return data


def conclusion_json(conclusion: Conclusion) -> dict:
    return {"id": conclusion.id, "meeting_id": conclusion.meeting_id, "agenda_item_id": conclusion.agenda_item_id,
            "text": conclusion.text, "author_id": conclusion.author_id, "created_at": _iso(conclusion.created_at),
            "task_ids": [t.id for t in conclusion.tasks]}


MINUTES_STATUS_LABELS = {"draft": _l("Draft"), "approved": _l("Approved"), "superseded": _l("Superseded")}


def minutes_json(minutes) -> dict:
    """One version of the minutes; `version` is what an edit, an approval or a reopening sends back."""

    def name(user):
        return user.name if user else None

    return {"id": minutes.id, "meeting_id": minutes.meeting_id, "version_no": minutes.version_no,
            "status": minutes.status, "body": minutes.body, "version": minutes.version,
            "generated_at": _iso(minutes.generated_at), "edited_at": _iso(minutes.edited_at),
            "edited_by": name(minutes.edited_by), "approved_at": _iso(minutes.approved_at),
            "approved_by": name(minutes.approved_by), "reopened_at": _iso(minutes.reopened_at),
            "reopened_by": name(minutes.reopened_by), "reopen_reason": minutes.reopen_reason,
            "superseded_at": _iso(minutes.superseded_at)}
