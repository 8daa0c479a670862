"""History of an entry: what each change did, field by field, old and new values as stored text.

Values are kept in a form that does not age: ids for rooms, people and units, codes for states,
ISO times. `labels.py` turns them into words in the reader's language when they are shown.
"""
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from meetings.calendar.models import Event, EventChange
from meetings.extensions import db

# The fields people read, in the order the history shows them.
TRACKED = ("title", "start", "end", "all_day", "session", "kind", "visibility", "status", "cancel_reason",
           "leaders", "participants", "units", "guests", "room", "location", "online_url",
           "preparing_unit", "description", "rrule")


def describe(event: Event, zone: ZoneInfo) -> dict[str, str | None]:
    """The event as comparable text, one value per tracked field.

    Reads ids, never relations such as `event.room`: after `room_id` changes the relation still
    holds the old room until a flush, and a move of room would compare equal to itself."""
    def when(moment):
        return moment.astimezone(zone).isoformat() if moment else None

    def ids(values):
        return ",".join(str(v) for v in values) or None

    return {
        "title": event.title, "start": when(event.start_at), "end": when(event.end_at),
        "all_day": str(bool(event.all_day)).lower(), "session": event.session, "kind": event.kind,
        "visibility": event.visibility, "status": event.status, "cancel_reason": event.cancel_reason,
        "leaders": ",".join(f"{link.user_id}:{link.role}" for link in event.leaders) or None,
        "participants": ids(event.participant_ids), "units": ids(event.participant_unit_ids),
        "guests": event.guests, "room": str(event.room_id) if event.room_id else None, "location": event.location,
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
