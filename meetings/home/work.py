"""Tasks on the home: a leader's from meetings they chaired (due this week or overdue), a member's own."""
from dataclasses import dataclass
from datetime import date

from meetings.tasks.access import task_rights
from meetings.tasks.dates import days_overdue
from meetings.tasks.models import Task
from meetings.tasks.queries import Filters, find_tasks, matches

SHOWN = 8


@dataclass
class TaskLine:
    task: Task
    overdue: int | None  # whole days late


def _lines(tasks: list[Task], today: date) -> list[TaskLine]:
    lines = [TaskLine(t, days_overdue(t, today)) for t in tasks]
    return sorted(lines, key=lambda line: (line.overdue is None, line.task.due_date, line.task.id))


def _gave(user, task: Task) -> bool:
    chaired = task.meeting is not None and any(link.user_id == user.id and link.role == "chair"
                                               for link in task.meeting.leaders)
    return task.leader_id == user.id or chaired


def leader_tasks(user, today: date) -> list[TaskLine]:
    """Tasks the leader gave, at a meeting they chaired or directly, due by Sunday or already late."""
    found = [t for t in find_tasks(user, Filters(status="open"), today)
             if _gave(user, t) and (matches(t, "due_week", today) or matches(t, "overdue", today))]
    return _lines(found, today)


def my_tasks(user, today: date) -> list[TaskLine]:
    """Open tasks the person works on: assigned to them or to their unit."""
    found = [t for t in find_tasks(user, Filters(status="open"), today) if task_rights(user, t).work]
    return _lines(found, today)
