"""What a reader is shown of an entry or occurrence. Redaction happens here and only here.

Pages, the API, search results and the printed week all go through `view()`: a reader without
access to the content gets a busy block (time, leaders, room; the title "Bận"), never the content.
"""
from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from meetings.calendar.access import Access, entry_access
from meetings.calendar.recurrence import Occurrence
from meetings.timeutil import app_zone


@dataclass
class EntryView:
    event_id: int
    start: datetime
    end: datetime
    all_day: bool
    status: str
    busy: bool
    title: str
    session: str | None = None
    recurrence_id: datetime | None = None
    visibility: str = "internal"
    leaders: list = field(default_factory=list)  # [{"id", "name", "title", "role"}], the chair first
    room_id: int | None = None
    room: str | None = None
    kind: str | None = None
    cancel_reason: str | None = None
    participants: list = field(default_factory=list)
    units: list = field(default_factory=list)
    guests: str | None = None
    location: str | None = None
    online_url: str | None = None
    preparing_unit: str | None = None
    description: str | None = None
    rrule: str | None = None
    sequence: int = 0
    version: int = 0
    has_conflict: bool = False
    changed_at: datetime | None = None

    @property
    def leader_ids(self) -> list[int]:
        return [leader["id"] for leader in self.leaders]

    @property
    def place(self) -> str | None:
        return ", ".join(p for p in (self.room, self.location) if p) or None

    def to_json(self) -> dict:
        zone = app_zone()
        data = asdict(self)
        for name in ("start", "end", "recurrence_id", "changed_at"):
            data[name] = data[name].astimezone(zone).isoformat() if data[name] else None
        data["id"] = self.event_id
        data["leader_ids"] = self.leader_ids
        if self.busy:  # the same keys for everyone, so a client cannot tell by absence alone
            return {k: data[k] for k in ("id", "event_id", "start", "end", "all_day", "status", "busy", "title",
                                         "recurrence_id", "visibility", "leaders", "leader_ids", "room_id", "room")}
        data["participant_ids"] = [p["id"] for p in self.participants]
        data["participant_unit_ids"] = [u["id"] for u in self.units]
        return data


def _leaders(event) -> list[dict]:
    return [{"id": link.user_id, "name": link.user.name, "title": link.user.title, "role": link.role}
            for link in event.leaders]


def view(occurrence: Occurrence, user) -> EntryView | None:
    """The occurrence as `user` may see it, or None when they may not know it exists."""
    event = occurrence.event
    access = entry_access(user, event)
    if access is Access.NONE:
        return None
    status = "cancelled" if occurrence.cancelled else event.status
    common = dict(event_id=event.id, start=occurrence.start, end=occurrence.end, all_day=event.all_day,
                  status=status, recurrence_id=occurrence.recurrence_id, visibility=event.visibility,
                  leaders=_leaders(event), room_id=event.room_id, room=event.room.name if event.room else None,
                  session=event.session)
    if access is Access.BUSY:
        return EntryView(busy=True, title=_("Busy"), **common)
    return EntryView(
        busy=False, title=event.title, kind=event.kind, cancel_reason=event.cancel_reason,
        participants=[{"id": p.user_id, "name": p.user.name} for p in event.participants if p.user],
        units=[{"id": p.unit_id, "name": p.unit.name} for p in event.participants if p.unit],
        guests=event.guests, location=event.location, online_url=event.online_url,
        preparing_unit=event.preparing_unit, description=event.description, rrule=event.rrule,
        sequence=event.sequence, version=event.version, has_conflict=event.has_conflict,
        changed_at=event.changed_at, **common)


def views(occurrences, user, content_only: bool = False) -> list[EntryView]:
    """Every occurrence the user may know of; `content_only` drops busy blocks (for searches,
    where a matching busy block would reveal that hidden content contains the words)."""
    found = (view(o, user) for o in occurrences)
    return [v for v in found if v is not None and not (content_only and v.busy)]


def entry_json(event, user) -> dict:
    """One entry (the series itself for a recurring one) with everything the API promises."""
    zone = app_zone()
    data = view(Occurrence(event, event.start_at, event.end_at), user).to_json()
    data["overrides"] = [{"original_start": o.original_start.astimezone(zone).isoformat(),
                          "cancelled": o.cancelled,
                          "start": o.start_at.astimezone(zone).isoformat() if o.start_at else None,
                          "end": o.end_at.astimezone(zone).isoformat() if o.end_at else None}
                         for o in event.overrides]
    data["published_at"] = event.published_at.astimezone(zone).isoformat() if event.published_at else None
    return data
