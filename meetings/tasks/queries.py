"""Finding tasks for lists and the follow-up dashboard (theo dõi, đôn đốc): what the user may see,
narrowed by status, unit, leader, meeting and a period of due dates."""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from meetings.calendar.models import Event
from meetings.extensions import db
from meetings.tasks.access import visible_tasks
from meetings.tasks.dates import days_overdue, done_late, week_bounds
from meetings.tasks.models import OPEN_STATUSES, Task, TaskCooperatingUnit

STATUS_FILTERS = ("all", "open", "overdue", "due_week", "done", "done_late", "extension_requested", "cancelled")


@dataclass
class Filters:
    status: str = "all"
    unit_id: int | None = None
    leader_id: int | None = None
    meeting_id: int | None = None
    start: date | None = None  # due dates from ... to, both included
    end: date | None = None


def _base(user, filters: Filters):
    query = select(Task).where(visible_tasks(user)).options(
        selectinload(Task.unit), selectinload(Task.assignee), selectinload(Task.cooperating),
        selectinload(Task.meeting).selectinload(Event.leaders))
    if filters.unit_id:
        helping = select(TaskCooperatingUnit.task_id).where(TaskCooperatingUnit.unit_id == filters.unit_id)
        query = query.where(or_(Task.unit_id == filters.unit_id, Task.id.in_(helping)))
    if filters.leader_id:
        query = query.where(Task.leader_id == filters.leader_id)
    if filters.meeting_id:
        query = query.where(Task.meeting_id == filters.meeting_id)
    if filters.start:
        query = query.where(Task.due_date >= filters.start)
    if filters.end:
        query = query.where(Task.due_date <= filters.end)
    return query.order_by(Task.due_date, Task.id)


def matches(task: Task, status: str, today: date) -> bool:
    _monday, sunday = week_bounds(today)
    return {
        "all": task.status != "cancelled",
        "open": task.is_open,
        "overdue": days_overdue(task, today) is not None,
        "due_week": task.is_open and today <= task.due_date <= sunday,  # still to do this week, not yet late
        "done": task.status == "done",
        "done_late": done_late(task),
        "extension_requested": task.status == "extension_requested",
        "cancelled": task.status == "cancelled",
    }[status]


def find_tasks(user, filters: Filters, today: date) -> list[Task]:
    query = _base(user, filters)
    if filters.status in ("open", "overdue", "due_week"):
        query = query.where(Task.status.in_(OPEN_STATUSES))  # narrow in SQL, decide in Python
    elif filters.status in ("done", "done_late", "extension_requested", "cancelled"):
        query = query.where(Task.status == ("done" if filters.status == "done_late" else filters.status))
    return [task for task in db.session.scalars(query) if matches(task, filters.status, today)]


def summary(tasks: list[Task], today: date) -> dict[str, int]:
    """The dashboard's cards: due this week, overdue, done on time, done late."""
    counts = Counter()
    for task in tasks:
        for name in ("due_week", "overdue", "done_late", "open"):
            counts[name] += matches(task, name, today)
        counts["done_on_time"] += task.status == "done" and not done_late(task)
    return {name: counts[name] for name in ("due_week", "overdue", "done_on_time", "done_late", "open")}


def per_unit(tasks: list[Task], today: date) -> list[tuple]:
    """(unit, summary) for each responsible unit with tasks, by unit name."""
    groups: dict[int, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.unit_id, []).append(task)
    rows = [(group[0].unit, summary(group, today)) for group in groups.values()]
    return sorted(rows, key=lambda row: (row[0].position, row[0].name))
