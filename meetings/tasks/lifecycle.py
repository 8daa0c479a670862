"""A task's life: assigned → in_progress → done, extension_requested → approved / rejected,
cancelled; progress notes on the way; a manager's edits. One function, `change`, behind the API's
PATCH and every form, so each rule holds through every door.

`status` in the input names the step: in_progress, done, extension_requested, approved, rejected,
cancelled. Approved and rejected are decisions, not states: the task goes back to in_progress
(with the new due date when approved). Without `status`, a `note` is a progress report, and the
fields of services.EDITABLE are a manager's edit.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from meetings.errors import Conflict, Forbidden, ValidationFailed
from meetings.extensions import db
from meetings.tasks import files, history
from meetings.tasks.access import task_rights
from meetings.tasks.dates import parse_day
from meetings.tasks.models import OPEN_STATUSES, Task
from meetings.tasks.services import EDITABLE, Stale, edit_task, get_task, read_task
from meetings.validation import Fields


@dataclass(frozen=True)
class Step:
    allowed_from: tuple[str, ...]
    to: str
    right: str  # "work" or "manage", from access.Rights
    note_required: bool = False


STEPS = {
    "in_progress": Step(("assigned",), "in_progress", "work"),
    "done": Step(OPEN_STATUSES, "done", "work", note_required=True),  # the note is the completion report
    "extension_requested": Step(("assigned", "in_progress"), "extension_requested", "work", note_required=True),
    "approved": Step(("extension_requested",), "in_progress", "manage"),
    "rejected": Step(("extension_requested",), "in_progress", "manage", note_required=True),
    "cancelled": Step(OPEN_STATUSES, "cancelled", "manage", note_required=True),
}


class InvalidTransition(Conflict):
    code = "invalid_transition"


def _stale(task_id: int, actor) -> Stale:
    from meetings.tasks.present import task_json

    db.session.rollback()
    current = task_json(get_task(task_id, actor), actor)
    return Stale(_("Someone else changed this task; here it is as it is now."), current=current,
                 version=current["version"])


def _check(task: Task, data: dict, actor) -> Step | None:
    rights = task_rights(actor, task)
    step = STEPS.get(data.get("status")) if data.get("status") else None
    if data.get("status") and step is None:
        raise ValidationFailed({"status": _("Must be one of: %(choices)s.", choices=", ".join(STEPS))})
    needed = step.right if step else ("manage" if set(data) & set(EDITABLE) else "work")
    if not getattr(rights, needed):
        raise Forbidden(_("You may not do this with this task."))
    return step


def _apply_step(task: Task, step: Step, name: str, data: dict, note: str | None, actor, now: datetime) -> None:
    if task.status not in step.allowed_from:
        raise InvalidTransition(_("A task that is %(status)s cannot go to %(step)s.", status=task.status, step=name))
    if step.note_required and not note:
        raise ValidationFailed({"note": _("Write a few words: the report, the reason.")})
    old_status = task.status
    if name == "extension_requested":
        wanted = parse_day(data.get("due"))
        if wanted is None or wanted <= task.due_date:
            raise ValidationFailed({"due": _("Give a new due date after the current one.")})
        task.requested_due = wanted
        history.record(task, actor, now, "extension", "due_date", task.due_date.isoformat(), wanted.isoformat(), note)
    elif name == "approved":
        new_due = parse_day(data.get("due")) or task.requested_due
        history.record(task, actor, now, "extension", "due_date", task.due_date.isoformat(), new_due.isoformat(),
                       note or _("Extension approved"))
        task.due_date, task.requested_due = new_due, None
    elif name == "rejected":
        task.requested_due = None
    elif name == "done":
        task.completed_at, task.report_text, task.requested_due = now, note, None
    task.status = step.to
    history.record(task, actor, now, "status", "status", old_status, name, note)


def change(task_id: int, data: dict, actor, now: datetime, upload=None) -> Task:
    """Apply one step, progress note or edit; `upload` is (filename, stream) for a completion file."""
    get_task(task_id, actor)  # 404 before anything else for those who may not see it
    task = db.session.get(Task, task_id, with_for_update=True, populate_existing=True)
    try:
        if "version" in data and str(data["version"]) != str(task.version):
            raise _stale(task_id, actor)
        step = _check(task, data, actor)
        _apply(task, step, data, actor, now)
    except Exception:
        db.session.rollback()  # and with it the row lock
        raise
    return _commit(task, actor, now, upload if step is not None and step.to == "done" else None)


def _apply(task: Task, step: Step | None, data: dict, actor, now: datetime) -> None:
    fields = Fields(data)
    note = fields.string("note", max_length=5000)
    fields.raise_if_errors()
    if step is not None:
        _apply_step(task, step, data["status"], data, note, actor, now)
    elif set(data) & set(EDITABLE):
        values, fields = read_task({k: v for k, v in data.items() if k in EDITABLE}, now, creating=False)
        fields.raise_if_errors()
        edit_task(task, values, actor, now)
    elif not task.is_open:
        raise InvalidTransition(_("This task is closed."))
    elif not note:
        raise ValidationFailed({"note": _("Nothing to change: give a status or a note.")})
    else:
        history.record(task, actor, now, "progress", note=note)
        if task.status == "assigned":  # a first progress report means the work has started
            history.record(task, actor, now, "status", "status", "assigned", "in_progress")
            task.status = "in_progress"


def _commit(task: Task, actor, now: datetime, upload) -> Task:
    staged, old_key = None, task.report_file_key
    try:
        if upload is not None and upload[0]:
            staged = files.stage(task.id, upload[0], upload[1])
            task.report_file_name, task.report_file_key, task.report_file_size = staged.name, staged.key, staged.size
            history.record(task, actor, now, "report_file", "file", None, staged.name)
        task.updated_at = now
        flag_modified(task, "updated_at")  # every change, a progress note too, makes a new version
        db.session.commit()
    except StaleDataError:
        files.discard(staged)
        raise _stale(task.id, actor)
    except BaseException:
        db.session.rollback()
        files.discard(staged)
        raise
    if staged is not None:
        files.place(staged)
        if old_key and old_key != staged.key:
            files.remove(old_key)
    return task
