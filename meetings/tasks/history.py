"""A task's history: every change as a row, written in the transaction that makes the change."""
from datetime import datetime

from meetings.extensions import db
from meetings.tasks.models import Task, TaskChange


def record(task: Task, actor, now: datetime, action: str, field: str | None = None, old=None, new=None,
           note: str | None = None) -> None:
    db.session.add(TaskChange(task=task, changed_at=now, user_id=actor.id if actor else None, action=action,
                              field=field, old=None if old is None else str(old),
                              new=None if new is None else str(new), note=note))
