"""Telling people about their tasks: who hears (the assignee, else the responsible unit's members)
and what the notification says. Called inside the caller's transaction, like notify()."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.directory.models import User
from meetings.extensions import db
from meetings.notify.services import notify
from meetings.tasks.models import Task
from meetings.web import link_to


def recipients(task: Task) -> list[User]:
    """The assignee when there is one, active; otherwise every active member of the responsible unit."""
    if task.assignee_id:
        person = db.session.get(User, task.assignee_id)
        if person is not None and person.active:
            return [person]
    return list(db.session.scalars(select(User).where(User.unit_id == task.unit_id, User.active.is_(True))
                                   .order_by(User.id)))


def task_url(task: Task, external: bool = False) -> str:
    return link_to("tasks.task", external=external, task_id=task.id)


def send(task: Task, title: str, now: datetime, key: str) -> int:
    """One notification (and e-mail) per recipient under `key`; returns how many were new."""
    text = "\n".join([title, task.title, _("Due date: %(day)s", day=f"{task.due_date:%d/%m/%Y}"),
                      task_url(task, external=True)])
    sent = 0
    for person in recipients(task):
        if notify(person, "task", title, now, url=task_url(task), dedupe_key=key, email_text=text):
            sent += 1
    return sent


def tell_assigned(task: Task, now: datetime) -> int:
    title = _("New task for your unit: %(title)s", title=_short(task.title))
    return send(task, title, now, f"task:{task.id}:assigned:{task.unit_id}:{task.assignee_id or 0}")


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
