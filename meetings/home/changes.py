"""Changes to a person's own schedule since they last looked at it (the leader page's marker)."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from meetings.calendar import labels, queries, seen
from meetings.calendar.models import EventChange
from meetings.calendar.present import EntryView, views
from meetings.extensions import db
from meetings.timeutil import app_zone

AHEAD = timedelta(days=31)


@dataclass
class Changed:
    entry: EntryView
    rows: list  # labels.ChangeRow, the newest first


def since_last_look(user, now: datetime) -> tuple[datetime | None, list[Changed]]:
    """(when they last looked, entries from today on changed after that). The same marker as the
    leader's own week (`seen.look`), so opening either one clears both."""
    last = seen.look(user.id, user.id, now, record=False)
    if last is None:
        return None, []
    start = datetime.combine(now.astimezone(app_zone()).date(), time(), app_zone())
    entries = views(queries.occurrences(start, start + AHEAD, person=user), user, content_only=True)
    changed, shown = [], set()
    for entry in entries:
        if entry.changed_at is None or entry.changed_at <= last or entry.event_id in shown:
            continue
        shown.add(entry.event_id)
        rows = list(db.session.scalars(select(EventChange).where(
            EventChange.event_id == entry.event_id, EventChange.changed_at > last)
            .order_by(EventChange.changed_at.desc(), EventChange.id.desc()).limit(6)))
        changed.append(Changed(entry, labels.for_reader(rows, user)))
    return last, changed


def mark_seen(user, now: datetime) -> None:
    """"Đã xem": the person has taken the changes in."""
    seen.look(user.id, user.id, now)


def start_watching(user, now: datetime) -> None:
    """A first visit sets the marker, so changes from then on are the ones shown."""
    if seen.look(user.id, user.id, now, record=False) is None:
        seen.look(user.id, user.id, now)
