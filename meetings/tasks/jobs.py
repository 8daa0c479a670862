"""Task deadlines on the scheduler: reminders 3 days and 1 day before the due date, and one on each
overdue day, to the assignee or else the responsible unit's members.

A sweeper: each run looks at the open tasks as they are now, so a task done, cancelled or given a
new due date gets no stale reminder. The dedupe key names the task and the occasion
(task:ID:due-3d, task:ID:overdue:2026-12-03) and is recorded in the run's transaction, so a second
run, a restart or a second scheduler sends nothing again.
"""
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.extensions import db
from meetings.notify.scheduler import job
from meetings.tasks.dates import days_overdue, local_today
from meetings.tasks.models import OPEN_STATUSES, Task
from meetings.tasks.notices import send
from meetings.timeutil import app_zone

BEFORE = (3, 1)  # days before the due date
# Office hours: a reminder found at 00:15 waits for the morning.
SEND_FROM = time(8, 0)


@job("task_reminders", minutes=15)
def send_task_reminders(now: datetime) -> int:
    if now.astimezone(app_zone()).time() < SEND_FROM:
        return 0
    today = local_today(now)
    sent = 0
    due_soon = select(Task).where(Task.status.in_(OPEN_STATUSES),
                                  Task.due_date <= today + timedelta(days=max(BEFORE))).order_by(Task.id)
    for task in db.session.scalars(due_soon):
        late = days_overdue(task, today)
        left = (task.due_date - today).days
        if late is not None:
            title = _("Overdue by %(n)d days: %(title)s", n=late, title=task.title[:200])
            sent += send(task, title, now, f"task:{task.id}:overdue:{today.isoformat()}")
        elif left in BEFORE:
            title = _("Due in %(n)d days (%(day)s): %(title)s", n=left, day=f"{task.due_date:%d/%m/%Y}",
                      title=task.title[:200])
            # The due date is in the key: after an approved extension the new date earns its own reminders.
            sent += send(task, title, now, f"task:{task.id}:due-{left}d:{task.due_date.isoformat()}")
    db.session.commit()
    return sent
