"""Due dates are local dates in the app's zone: a task due 2 December is overdue from 00:00 on
3 December in Hà Nội (17:00 UTC on 2 December), whatever the server's or the reader's zone."""
from datetime import date, datetime, timedelta

from meetings.tasks.models import Task
from meetings.timeutil import app_zone, in_range


def local_today(now: datetime) -> date:
    return now.astimezone(app_zone()).date()


def days_overdue(task: Task, today: date) -> int | None:
    """Whole days past the due date for an unfinished task; None when it is not overdue."""
    if task.is_open and today > task.due_date:
        return (today - task.due_date).days
    return None


def completed_day(task: Task) -> date | None:
    return task.completed_at.astimezone(app_zone()).date() if task.completed_at else None


def done_late(task: Task) -> bool:
    """Finished after the due date as it stood then (an approved extension moved it)."""
    day = completed_day(task)
    return task.status == "done" and day is not None and day > task.due_date


def days_late(task: Task) -> int | None:
    return (completed_day(task) - task.due_date).days if done_late(task) else None


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of today's week: "due this week"."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def parse_day(value) -> date | None:
    """'2026-12-02' (or a longer ISO string starting with it) as a date; None when it is not one."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return in_range(date.fromisoformat(value[:10]))
    except ValueError:
        return None


def month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def read_period(args, today: date, default=month_bounds) -> tuple[date | None, date | None]:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both included). Unset: `default(today)`, or none with default=None."""
    from flask_babel import gettext as _

    from meetings.errors import ValidationFailed

    raw = {name: args.get(name) for name in ("from", "to")}
    if not any(raw.values()):
        return default(today) if default else (None, None)
    values = {name: parse_day(value) if value else None for name, value in raw.items()}
    errors = {name: _("Expected a date, e.g. 2026-12-31.") for name in raw if raw[name] and values[name] is None}
    start, end = values["from"], values["to"]
    if default and not errors:  # a report needs both ends: the missing one from the default period
        start, end = start or default(today)[0], end or default(today)[1]
    if not errors and start and end and (end < start or (end - start).days > 400):
        errors["to"] = _("The end must come after the start, at most 400 days later.")
    if errors:
        raise ValidationFailed(errors)
    return start, end
