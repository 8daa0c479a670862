"""Reading an entry from JSON or a form: times in the app's zone, leaders, participants, the rule."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar import recurrence
from meetings.calendar.models import KINDS, SESSIONS, STATUSES, VISIBILITIES
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db
from meetings.validation import Fields, json_id

# Nominal hours of a session when only "sáng"/"chiều"/"tối" is known.
SESSION_HOURS = {"morning": (time(8, 0), time(11, 30)), "afternoon": (time(13, 30), time(17, 0)),
                 "evening": (time(18, 0), time(21, 0))}
DEFAULT_LENGTH = timedelta(hours=1)


YEARS = (1900, 2199)  # the years an entry may be in: the API document says the same


def parse_moment(value, zone: ZoneInfo) -> datetime | date | None:
    """ISO 8601: a date, or a date-time with or without offset (without = the app's zone)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day if YEARS[0] <= day.year <= YEARS[1] else None
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Far years overflow on conversion and on adding an entry's length; no office plans there.
    if not YEARS[0] <= moment.year <= YEARS[1]:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(timezone.utc)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(timezone.utc)


def _id_list(fields: Fields, name: str, model, **where) -> list[int]:
    raw = fields.data.get(name) or []
    if isinstance(raw, (int, str)) and not fields.strict:
        raw = [raw]
    try:
        if fields.strict and not (isinstance(raw, list) and all(
                type(v) is int or type(v) is float and v.is_integer() for v in raw)):
            raise TypeError(raw)
        ids = list(dict.fromkeys(int(v) for v in raw if str(v).strip()))
    except (TypeError, ValueError):
        fields.fail(name, _("Expected a list of ids."))
        return []
    if any(json_id(v) is None for v in ids):  # beyond an INTEGER column the database overflows
        fields.fail(name, _("Unknown or inactive entries in this list."))
        return []
    if ids:
        query = select(model.id).where(model.id.in_(ids), *[getattr(model, k) == v for k, v in where.items()])
        if len(set(db.session.scalars(query))) != len(ids):
            fields.fail(name, _("Unknown or inactive entries in this list."))
    return ids


def read_times(fields: Fields, zone: ZoneInfo, current: dict | None) -> dict:
    """start/end/all_day/session; `current` holds the stored values for a partial edit."""
    current = current or {}
    touched = any(fields.present(n) for n in ("start", "end", "all_day", "session"))
    if current and not touched:
        return {}
    all_day = fields.boolean("all_day", default=current.get("all_day", False))
    session = fields.choice("session", SESSIONS, default=None) if fields.present("session") \
        else current.get("session")
    start = parse_moment(fields.data.get("start"), zone) if fields.present("start") else current.get("start_at")
    end = parse_moment(fields.data.get("end"), zone) if fields.present("end") else None
    if start is None:
        fields.fail("start", _("Expected a date or date-time (ISO 8601)."))
        return {}
    if fields.present("end") and fields.data.get("end") and end is None:
        fields.fail("end", _("Expected a date or date-time (ISO 8601)."))
        return {}
    if all_day or isinstance(start, date) and not isinstance(start, datetime):
        first = start if not isinstance(start, datetime) else start.astimezone(zone).date()
        last = end if isinstance(end, date) and not isinstance(end, datetime) else (
            end.astimezone(zone).date() if end else first)
        start, end, all_day = _midnight(first, zone), _midnight(last + timedelta(days=1), zone), True
    elif session and not fields.present("end"):
        day = start.astimezone(zone).date()
        begins, ends = SESSION_HOURS[session]
        start = datetime.combine(day, begins, zone).astimezone(timezone.utc)
        end = datetime.combine(day, ends, zone).astimezone(timezone.utc)
    elif end is None or isinstance(end, date) and not isinstance(end, datetime):
        keep = current.get("end_at") - current.get("start_at") if current.get("end_at") else DEFAULT_LENGTH
        end = start + keep
    if end <= start:
        fields.fail("end", _("The end must come after the start."))
    return {"start_at": start, "end_at": end, "all_day": all_day, "session": session}


def read_event(data: dict, zone: ZoneInfo, current: dict | None = None) -> tuple[dict, Fields]:
    """Clean values from input; `current` (for edits) makes every field optional."""
    fields = Fields(data)
    creating = current is None
    values = read_times(fields, zone, current)
    if creating or fields.present("title"):
        values["title"] = fields.string("title", required=True, max_length=500)
    for name, length in (("location", 300), ("preparing_unit", 300), ("guests", 1000),
                         ("description", 5000), ("cancel_reason", 500)):
        if fields.present(name):
            values[name] = fields.string(name, max_length=length)
    if fields.present("online_url"):
        values["online_url"] = fields.url("online_url")
    # Cancelling is its own action on a new entry; an edit may also cancel (or restore) one.
    statuses = STATUSES[:2] if creating else STATUSES
    for name, choices, default in (("visibility", VISIBILITIES, "internal"), ("status", statuses, "draft"),
                                   ("kind", KINDS, "meeting")):
        if creating or fields.present(name):
            values[name] = fields.choice(name, choices, default=default)
    if fields.present("room_id"):
        values["room_id"] = fields.integer("room_id")
        if values["room_id"] is not None and db.session.get(Room, values["room_id"]) is None:
            fields.fail("room_id", _("No such room."))
    if creating or fields.present("leader_ids"):
        values["leader_ids"] = _id_list(fields, "leader_ids", User, active=True)
        values["chair_id"] = fields.integer("chair_id")
        if values["chair_id"] and values["chair_id"] not in values["leader_ids"]:
            fields.fail("chair_id", _("The chair must be one of the leaders."))
    if creating or fields.present("participant_ids"):
        values["participant_ids"] = _id_list(fields, "participant_ids", User, active=True)
    if creating or fields.present("participant_unit_ids"):
        values["participant_unit_ids"] = _id_list(fields, "participant_unit_ids", Unit)
    if fields.present("rrule"):
        values["rrule"] = None
        if fields.data.get("rrule"):
            try:
                values["rrule"] = recurrence.normalise_rule(str(fields.data["rrule"]), zone)
            except ValueError:
                fields.fail("rrule", _("Not a recurrence rule we can use (e.g. FREQ=WEEKLY;COUNT=10)."))
    values["allow_conflict"] = fields.boolean("allow_conflict", default=False)
    return values, fields
