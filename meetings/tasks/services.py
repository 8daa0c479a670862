"""Tasks (nhiệm vụ): create and edit. Plain functions of (values, the acting user, now).

A task comes from a conclusion, from a meeting, or straight from a leader (giao trực tiếp). The
life cycle after creation is in lifecycle.py.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetings.calendar.models import Event
from meetings.directory.models import Unit, User
from meetings.errors import Forbidden, NotFound, ServiceError
from meetings.extensions import db
from meetings.tasks import history
from meetings.tasks.access import can_manage_tasks, conclusion_rights, task_rights
from meetings.tasks.dates import local_today, parse_day
from meetings.tasks.models import PRIORITIES, Conclusion, Task, TaskCooperatingUnit
from meetings.tasks.notices import tell_assigned
from meetings.validation import Fields

EDITABLE = ("title", "unit_id", "assignee_id", "due", "priority", "cooperating_unit_ids", "leader_id")


class Stale(ServiceError):
    """The task changed since the caller read it; `current` carries it as it is now."""

    status = 409
    code = "stale"


def get_task(task_id: int, user=None) -> Task:
    """The task if it exists and `user` may see it (None: no check, for jobs); NotFound otherwise."""
    task = db.session.scalar(select(Task).where(Task.id == task_id).options(
        selectinload(Task.cooperating), selectinload(Task.meeting).selectinload(Event.leaders)))
    if task is None or (user is not None and not task_rights(user, task).see):
        raise NotFound(_("No such task."))
    return task


def check_manager(actor) -> None:
    if not can_manage_tasks(actor):
        raise Forbidden(_("Only the office's secretaries may assign and manage tasks."))


def _ids(fields: Fields, name: str) -> list[int]:
    return sorted(fields.id_list(name))


def _exists(fields: Fields, name: str, model, value, check=None) -> None:
    row = db.session.get(model, value) if value is not None else None
    if value is not None and (row is None or (check and not check(row))):
        fields.fail(name, _("Unknown or inactive."))


def read_task(data: dict, now: datetime, creating: bool) -> tuple[dict, Fields]:
    """Task input as clean values; only the fields present when editing."""
    fields = Fields(data)
    values = {}
    if creating or fields.present("title"):
        values["title"] = fields.string("title", required=True, max_length=1000)
    if creating or fields.present("unit_id"):
        values["unit_id"] = fields.integer("unit_id", required=True)
        _exists(fields, "unit_id", Unit, values["unit_id"])
    for name, check in (("assignee_id", lambda u: u.active), ("leader_id", lambda u: u.active and u.role == "leader")):
        if creating or fields.present(name):
            values[name] = fields.integer(name)
            _exists(fields, name, User, values[name], check)
    if creating or fields.present("due"):
        values["due_date"] = parse_day(data.get("due"))
        if values["due_date"] is None:
            fields.fail("due", _("Expected a date, e.g. 2026-12-31."))
        elif creating and values["due_date"] < local_today(now):
            fields.fail("due", _("The due date has already passed."))
    if creating or fields.present("priority"):
        values["priority"] = fields.choice("priority", PRIORITIES, default="normal")
    if creating or fields.present("cooperating_unit_ids"):
        values["cooperating_unit_ids"] = _ids(fields, "cooperating_unit_ids")
        for unit_id in values["cooperating_unit_ids"]:
            _exists(fields, "cooperating_unit_ids", Unit, unit_id)
    return values, fields


def _source(data: dict, fields: Fields, actor) -> dict:
    """Where the task comes from: a conclusion (and its meeting), a meeting, or a leader directly."""
    conclusion_id, meeting_id = fields.integer("conclusion_id"), fields.integer("meeting_id")
    conclusion = db.session.get(Conclusion, conclusion_id) if conclusion_id else None
    if conclusion_id and (conclusion is None or not conclusion_rights(actor, conclusion.meeting).see):
        fields.fail("conclusion_id", _("No such conclusion."))
        return {}
    if conclusion is not None:
        if meeting_id and meeting_id != conclusion.meeting_id:
            fields.fail("meeting_id", _("The conclusion belongs to another meeting."))
        meeting_id = conclusion.meeting_id
    meeting = db.session.get(Event, meeting_id) if meeting_id else None
    if meeting_id and (meeting is None or not conclusion_rights(actor, meeting).see):
        fields.fail("meeting_id", _("No such meeting."))
        return {}
    chair = next((link.user_id for link in meeting.leaders if link.role == "chair"), None) if meeting else None
    source = "conclusion" if conclusion else "meeting" if meeting else "direct"
    return {"source": source, "conclusion_id": conclusion_id, "meeting_id": meeting_id, "chair_id": chair}


def _set_cooperating(task: Task, unit_ids: list[int]) -> None:
    unit_ids = [i for i in unit_ids if i != task.unit_id]  # the responsible unit is not also a helper
    kept = {link.unit_id: link for link in task.cooperating}
    task.cooperating = [kept.get(i) or TaskCooperatingUnit(unit_id=i) for i in unit_ids]


def unit_names(ids) -> str:
    return ", ".join(db.session.get(Unit, i).name for i in ids) or None


def create_task(data: dict, actor, now: datetime) -> Task:
    check_manager(actor)
    values, fields = read_task(data, now, creating=True)
    origin = _source(data, fields, actor)
    fields.raise_if_errors()
    task = Task(title=values["title"], unit_id=values["unit_id"], assignee_id=values["assignee_id"],
                due_date=values["due_date"], priority=values["priority"], source=origin["source"],
                meeting_id=origin["meeting_id"], conclusion_id=origin["conclusion_id"],
                leader_id=values["leader_id"] or origin["chair_id"], status="assigned",
                created_by_id=actor.id, created_at=now, updated_at=now)
    _set_cooperating(task, values["cooperating_unit_ids"])
    db.session.add(task)
    db.session.flush()
    history.record(task, actor, now, "created", new=task.title)
    tell_assigned(task, now)
    db.session.commit()
    return task


def describe(task: Task) -> dict[str, str | None]:
    """The editable fields as text, for the history's old and new values."""
    return {"title": task.title, "unit": task.unit.name if task.unit else None,
            "assignee": task.assignee.name if task.assignee else None, "due_date": task.due_date.isoformat(),
            "priority": task.priority, "cooperating_units": unit_names(task.cooperating_unit_ids),
            "leader": task.leader.name if task.leader else None}


def edit_task(task: Task, values: dict, actor, now: datetime) -> None:
    """Apply a manager's edit to a locked, current task and record each changed field."""
    before = describe(task)
    for name in ("title", "unit_id", "assignee_id", "due_date", "priority", "leader_id"):
        if name in values:
            setattr(task, name, values[name])
    if "cooperating_unit_ids" in values:
        _set_cooperating(task, values["cooperating_unit_ids"])
    db.session.flush()
    db.session.expire(task, ["unit", "assignee", "leader"])
    after = describe(task)
    for field, old in before.items():
        if old != after[field]:
            history.record(task, actor, now, "edit", field, old, after[field])
    if before["assignee"] != after["assignee"] or before["unit"] != after["unit"]:
        tell_assigned(task, now)
