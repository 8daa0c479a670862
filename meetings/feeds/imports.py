"""Reading an .ics file into a plan: which entries it creates or updates (matched by UID), with
conflicts flagged by the calendar's own check. Nothing is written until the plan is confirmed,
and a file with any error is refused whole.

(Named imports.py: `import` is a Python keyword and cannot name an importable module.)
"""
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _
from icalendar import Calendar
from sqlalchemy import select

from meetings.calendar import recurrence
from meetings.calendar.conflicts import find_conflicts
from meetings.calendar.models import Event
from meetings.errors import ServiceError
from meetings.extensions import db
from meetings.feeds.models import ImportedEntry
from meetings.timeutil import app_zone

MAX_BYTES = 1_000_000
MAX_ENTRIES = 500
OWN_UID = re.compile(r"^calendar-event-(\d+)@")


class ImportRefused(ServiceError):
    status = 422
    code = "import_refused"


@dataclass
class PlannedEntry:
    uid: str
    title: str
    start: datetime  # UTC
    end: datetime
    all_day: bool
    location: str | None = None
    description: str | None = None
    rrule: str | None = None
    event_id: int | None = None  # set when the UID is already known: an update
    conflicts: list = field(default_factory=list)

    @property
    def action(self) -> str:
        return "update" if self.event_id else "create"


def _utc(value, zone, tzid: str | None, title: str):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if tzid:  # a TZID neither the zone database nor the file's VTIMEZONEs define
                raise ImportRefused(_("Unknown time zone “%(tzid)s” in “%(title)s”.", tzid=tzid, title=title))
            value = value.replace(tzinfo=zone)  # floating time: the office's wall clock
        return value.astimezone(timezone.utc)
    return datetime.combine(value, datetime.min.time(), zone).astimezone(timezone.utc)


def _entry(vevent, zone) -> PlannedEntry:
    title = " ".join(str(vevent.get("summary") or "").split())[:500] or _("(no title)")
    prop = vevent.get("dtstart")
    if prop is None:
        raise ImportRefused(_("“%(title)s” has no start.", title=title))
    begin = vevent.decoded("dtstart")
    all_day = isinstance(begin, date) and not isinstance(begin, datetime)
    start = _utc(begin, zone, prop.params.get("TZID"), title)
    if vevent.get("dtend") is not None:
        end = _utc(vevent.decoded("dtend"), zone, vevent["dtend"].params.get("TZID"), title)
    elif vevent.get("duration") is not None:
        end = start + vevent.decoded("duration")
    else:
        end = start + (timedelta(days=1) if all_day else timedelta(hours=1))
    if end <= start:
        end = start + (timedelta(days=1) if all_day else timedelta(hours=1))
    rule = None
    if vevent.get("rrule") is not None:
        try:
            rule = recurrence.normalise_rule(vevent["rrule"].to_ical().decode(), zone)
        except ValueError:
            raise ImportRefused(_("“%(title)s” repeats in a way we cannot use.", title=title)) from None
    location = " ".join(str(vevent.get("location") or "").split())[:300] or None
    description = str(vevent.get("description") or "").strip()[:5000] or None
    return PlannedEntry(uid=str(vevent.get("uid") or "")[:500], title=title, start=start, end=end, all_day=all_day,
                        location=location, description=description, rrule=rule)


def parse(data: bytes) -> list[PlannedEntry]:
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(n)d KB.", n=MAX_BYTES // 1000))
    try:
        calendar = Calendar.from_ical(data.decode("utf-8-sig"))
        vevents = [v for v in calendar.walk("VEVENT") if v.get("recurrence-id") is None]
    except (ValueError, AttributeError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        raise ImportRefused(_("This is not a readable iCalendar (.ics) file.")) from None
    if not vevents:
        raise ImportRefused(_("The file holds no calendar entries."))
    if len(vevents) > MAX_ENTRIES:
        raise ImportRefused(_("The file holds more than %(n)d entries.", n=MAX_ENTRIES))
    zone = app_zone()
    try:
        return [_entry(v, zone) for v in vevents]
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        raise ImportRefused(_("This is not a readable iCalendar (.ics) file.")) from exc


def _known(uid: str) -> int | None:
    own = OWN_UID.match(uid)
    if own and db.session.get(Event, int(own.group(1))) is not None:
        return int(own.group(1))
    return db.session.scalar(select(ImportedEntry.event_id).where(ImportedEntry.uid == uid)) if uid else None


def plan(data: bytes, leader_ids: list[int]) -> list[PlannedEntry]:
    """The preview: each entry with what confirming would do and whom or what it would clash with."""
    zone = app_zone()
    entries = parse(data)
    for entry in entries:
        entry.event_id = _known(entry.uid)
        intervals = [(entry.start, entry.end)]
        if entry.rrule:
            fake = SimpleNamespace(start_at=entry.start, end_at=entry.end, rrule=entry.rrule, overrides=[])
            horizon = entry.start + timedelta(days=366)
            intervals = [(o.start, o.end) for o in recurrence.expand(fake, entry.start, horizon, zone)]
        entry.conflicts = find_conflicts(intervals, leader_ids, None, [entry.event_id], zone)
    return entries


def _input(entry: PlannedEntry, zone) -> dict:
    """The entry as the calendar's own input (an all-day end names the last day)."""
    start, end = entry.start.astimezone(zone), entry.end.astimezone(zone)
    if entry.all_day:
        start, end = start.date(), (end - timedelta(days=1)).date()
    return {"title": entry.title, "start": start.isoformat(), "end": end.isoformat(), "all_day": entry.all_day,
            "location": entry.location, "description": entry.description, "rrule": entry.rrule}


def confirm(data: bytes, leader_ids: list[int], actor, now: datetime) -> tuple[int, int]:
    """Create the new entries as drafts and update the known ones; returns (created, updated)."""
    from meetings.calendar.services import create_event, update_event

    zone, created, updated, seen = app_zone(), 0, 0, set()
    for entry in plan(data, leader_ids):
        if entry.uid and entry.uid in seen:
            continue
        seen.add(entry.uid)
        values = _input(entry, zone)
        if entry.event_id:
            update_event(entry.event_id, values, actor, now)
            updated += 1
            continue
        event, _clashes = create_event({**values, "status": "draft", "leader_ids": leader_ids}, actor, now)
        if entry.uid:
            db.session.add(ImportedEntry(uid=entry.uid, event_id=event.id, imported_at=now))
            db.session.commit()
        created += 1
    return created, updated
