"""History of an entry: what each change did, field by field, with old and new values as text."""
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from meetings.calendar.models import Event, EventChange
from meetings.extensions import db

# The fields people care about, in the order the history shows them.
TRACKED = ("title", "start", "end", "all_day", "session", "kind", "visibility", "status", "cancel_reason",
           "leaders", "participants", "units", "guests", "room", "location", "online_url",
           "preparing_unit", "description", "rrule")


def describe(event: Event, zone: ZoneInfo) -> dict[str, str | None]:
    """The event as comparable text, one value per tracked field."""
    def when(moment):
        return moment.astimezone(zone).isoformat() if moment else None

    leaders = [f"{link.user.name} ({link.role})" for link in event.leaders if link.user]
    return {
        "title": event.title, "start": when(event.start_at), "end": when(event.end_at),
        "all_day": str(bool(event.all_day)).lower(), "session": event.session, "kind": event.kind,
        "visibility": event.visibility, "status": event.status, "cancel_reason": event.cancel_reason,
        "leaders": ", ".join(leaders) or None,
        "participants": ", ".join(p.user.name for p in event.participants if p.user) or None,
        "units": ", ".join(p.unit.name for p in event.participants if p.unit) or None,
        "guests": event.guests, "room": event.room.name if event.room else None, "location": event.location,
        "online_url": event.online_url, "preparing_unit": event.preparing_unit,
        "description": event.description, "rrule": event.rrule,
    }


def new_batch() -> str:
    return secrets.token_hex(8)


def record(event: Event, batch: str, changes: dict[str, tuple], user_id: int | None, now: datetime) -> None:
    for field, (old, new) in changes.items():
        db.session.add(EventChange(event_id=event.id, batch=batch, changed_at=now, user_id=user_id,
                                   field=field, old=old, new=new))


def diff(before: dict, after: dict) -> dict[str, tuple]:
    return {field: (before.get(field), after.get(field)) for field in TRACKED
            if before.get(field) != after.get(field)}
