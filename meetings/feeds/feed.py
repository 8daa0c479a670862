"""Building a feed's body: the entries the owner may know of, each serialised once per change.

Each entry's VEVENT text is kept per (entry, version, access, language, links) in this process: a
rebuilt feed of 5,000 entries serialises only the ones that changed. Entries that must be written
are read as plain rows with SQLAlchemy Core (no ORM objects, no identity map) and written by
ical.py's hand-written writer. `build_naive` is the way peers do it (every
entry loaded and serialised on every request), kept for the benchmark's comparison.
"""
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from email.utils import parseaddr

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import selectinload

from meetings.calendar.access import Access, entry_access
from meetings.calendar.models import Event, EventChange, EventLeader, EventOverride, EventParticipant
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db
from meetings.feeds import ical
from meetings.db import UTCDateTime
from meetings.feeds.selection import EntryStub, FeedSpec, add_people, directory_stamp, stubs
from meetings.feeds.zones import vtimezone_text
from meetings.timeutil import app_zone

CHUNKS_MAX = 100_000
SHAPES_MAX = 64
_chunks: OrderedDict = OrderedDict()
_shapes: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _links() -> tuple[str, str, str, str]:
    config = current_app.config
    base = config.get("MEETINGS_BASE_URL") or (request.host_url if has_request_context() else "http://localhost")
    name, address = parseaddr(config.get("MAIL_FROM") or "lich-cong-tac@localhost")
    return base.rstrip("/"), address.rpartition("@")[2] or "localhost", name, address


def link_key() -> tuple:
    """What of the context shapes a feed's bytes, read without touching the database."""
    return _links()


def context() -> ical.Context:
    """Links point where the request came from (or MEETINGS_BASE_URL outside a request); UIDs use
    the sender's mail domain, which stays the same whatever host name a client used."""
    from meetings.directory.services import organisation_name

    base, domain, name, address = _links()
    return ical.Context(zone=app_zone(), base_url=base, uid_domain=domain,
                        organizer_name=name or organisation_name() or address, organizer_email=address)


def locale_of(spec: FeedSpec) -> str:
    languages = current_app.config["LANGUAGES"]
    if spec.owner is not None and spec.owner.locale in languages:
        return spec.owner.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def feed_name(spec: FeedSpec) -> str:
    from meetings.directory.services import organisation_name

    target = {"leader": User, "room": Room, "unit": Unit}.get(spec.kind)
    thing = db.session.get(target, spec.target_id) if target else None
    if spec.kind == "personal":
        return _("My schedule – %(name)s", name=spec.owner.name)
    if spec.kind == "leader":
        return _("Work calendar – %(name)s", name=thing.display_name)
    if spec.kind == "room":
        return _("Room calendar – %(name)s", name=thing.name)
    if spec.kind == "unit":
        return _("Unit calendar – %(name)s", name=thing.name)
    return _("Public calendar – %(name)s", name=organisation_name() or "")


CHUNK = 5000  # ids per IN list: well under SQLite's limit on bound parameters


def _aware(moment: datetime | None) -> datetime | None:
    # Aggregates may lose the column's type on SQLite.
    return moment.replace(tzinfo=timezone.utc) if moment and not moment.tzinfo else moment


def entry_columns() -> list:
    """The columns an Entry is made of (after the id), selected beside the stubs on a feed's first
    build, or by `load` for the entries a rebuild must write."""
    event, room = Event.__table__, Room.__table__
    # The last change as the entry's history records it (the time the service was given).
    history = select(func.max(EventChange.changed_at)).where(EventChange.event_id == event.c.id).scalar_subquery()
    changed = type_coerce(func.coalesce(history, event.c.changed_at, event.c.updated_at, event.c.created_at),
                          UTCDateTime)
    room_name = select(room.c.name).where(room.c.id == event.c.room_id).scalar_subquery()
    return [event.c.title, event.c.status, event.c.visibility, event.c.all_day, event.c.start_at, event.c.end_at,
            event.c.sequence, changed, event.c.rrule, event.c.description, event.c.location, room_name,
            event.c.guests, event.c.preparing_unit, event.c.online_url, event.c.cancel_reason]


def _entry(event_id: int, row, stub) -> ical.Entry:
    entry = ical.Entry(event_id, *row[:7], _aware(row[7]), *row[8:])
    entry.leaders, entry.participants = stub.leaders, stub.participants
    entry.units = [name for _unit_id, name in stub.units]
    return entry


def load(ids, stubs_by_id: dict | None = None) -> dict[int, ical.Entry]:
    """Entries as the writer's plain values: narrow SQLAlchemy Core selects, no ORM objects. The
    people come from the feed's stubs when given (read there already), else are read here."""
    ids, found = sorted(ids), {}
    for first in range(0, len(ids), CHUNK):
        found.update(_load(ids[first:first + CHUNK], stubs_by_id))
    return found


def _load(ids: list[int], stubs_by_id: dict | None) -> dict[int, ical.Entry]:
    if not ids:
        return {}
    event = Event.__table__
    people = stubs_by_id
    if people is None:
        people = {event_id: EntryStub(event_id, "", "", None, 0, None) for event_id in ids}
        add_people(people, ids)
    found = {row[0]: _entry(row[0], row[1:], people[row[0]]) for row in db.session.connection().execute(
        select(event.c.id, *entry_columns()).where(event.c.id.in_(ids)))}
    add_moved(found)
    return found


def add_moved(entries: dict[int, ical.Entry]) -> None:
    """Moved and cancelled occurrences, for the series among `entries`."""
    overrides, series = EventOverride.__table__, [i for i, entry in entries.items() if entry.rrule]
    for first in range(0, len(series), CHUNK):
        for event_id, *moved in db.session.connection().execute(
                select(overrides.c.event_id, overrides.c.original_start, overrides.c.cancelled, overrides.c.start_at,
                       overrides.c.end_at).where(overrides.c.event_id.in_(series[first:first + CHUNK]))
                .order_by(overrides.c.event_id, overrides.c.original_start)):
            entries[event_id].moved.append(ical.Moved(*moved))


def serialise(entry: ical.Entry, full: bool, ctx: ical.Context, words: dict, public: bool = False) -> bytes:
    # The public feed names people in DESCRIPTION only, with no ATTENDEE or ORGANIZER: RFC 5545
    # makes their value a cal-address (a URI), and the only one calendars act on is mailto, which
    # would publish leaders' e-mail addresses. Another URI (urn:, https:) would be valid, but clients
    # show it as an address to invite or write to, which it is not; names in the text are what a
    # citizen reading the schedule needs. Personal, leader, room and unit feeds keep their ATTENDEEs.
    return ical.to_bytes(ical.vevent_lines(entry, full, ctx, words, attendees=not public))


def _assemble(spec: FeedSpec, ctx: ical.Context, chunks: list[bytes]) -> bytes:
    head = ical.to_bytes(ical.calendar_lines(feed_name(spec))) + vtimezone_text(ctx.zone).encode()
    return b"".join((head, *chunks, b"END:VCALENDAR\r\n"))


def build(spec: FeedSpec, now: datetime, first: bool = False) -> bytes:
    """The feed's body. On its `first` build in this process the entries' columns are read with
    the stubs (one pass over the feed's condition); later rebuilds read only what they write."""
    ctx, locale, stamp = context(), locale_of(spec), directory_stamp()
    shape = _shape((locale, ctx, stamp))
    public = spec.kind == "public"  # cached apart: the same entry's text differs there
    with force_locale(locale):
        wanted, words = [], ical.labels()
        found_stubs = stubs(spec, now, entry_columns() if first else ())
        for stub in found_stubs:
            access = entry_access(spec.owner, stub)
            if access is not Access.NONE:
                full = access is Access.FULL
                wanted.append((stub.id, (stub.id, stub.version, stub.updated_at, full, public, shape), full))
        with _lock:
            found = {key: _chunks.get(key) for _id, key, _full in wanted}
        missing = [(event_id, key, full) for event_id, key, full in wanted if found[key] is None]
        by_id = {stub.id: stub for stub in found_stubs}
        if first:
            entries = {event_id: _entry(event_id, by_id[event_id].extra, by_id[event_id])
                       for event_id, _key, _full in missing}
            add_moved(entries)
        else:
            entries = load({m[0] for m in missing}, by_id)
        for event_id, key, full in missing:
            if event_id in entries:
                found[key] = serialise(entries[event_id], full, ctx, words, public)
        with _lock:
            for _id, key, _full in missing:
                if found.get(key) is not None:
                    _chunks[key] = found[key]
            while len(_chunks) > CHUNKS_MAX:
                _chunks.popitem(last=False)
        return _assemble(spec, ctx, [found[key] for _id, key, _full in wanted if found.get(key)])


def build_naive(spec: FeedSpec, now: datetime, writer=None) -> bytes:
    """Every entry loaded as ORM objects and serialised again on every request, as the peers do:
    what the benchmark compares against. By default with this app's writer, so the comparison shows
    what caching and the narrow loading save; `writer(event, full, last_change, ctx, words) -> bytes`
    puts another in its place (the benchmark passes the icalendar-based one the peers would use)."""
    ctx = context()
    with force_locale(locale_of(spec)):
        ids, words = [stub.id for stub in stubs(spec, now)], ical.labels()
        events = {event.id: event for event in db.session.scalars(select(Event).where(Event.id.in_(ids)).options(
            selectinload(Event.leaders).selectinload(EventLeader.user),
            selectinload(Event.participants).selectinload(EventParticipant.user),
            selectinload(Event.participants).selectinload(EventParticipant.unit),
            selectinload(Event.overrides), selectinload(Event.room)))}
        changes = dict(db.session.execute(select(EventChange.event_id, func.max(EventChange.changed_at))
                                          .where(EventChange.event_id.in_(ids)).group_by(EventChange.event_id)).all())
        chunks = []
        for event_id in ids:
            event = events[event_id]
            access = entry_access(spec.owner, event)
            if access is not Access.NONE:
                last = _aware(changes.get(event_id) or event.changed_at or event.updated_at or event.created_at)
                full = access is Access.FULL
                chunks.append(writer(event, full, last, ctx, words) if writer else
                              serialise(ical.entry_of(event, last), full, ctx, words, spec.kind == "public"))
        return _assemble(spec, ctx, chunks)


def _shape(what_else: tuple) -> object:
    """A token standing for what else shapes an entry's text (language, links, directory stamp):
    hashed by identity, so the 5,000 keys of a feed do not each hash the whole context again.
    Chunks of a forgotten token are never found again and age out of the cache."""
    with _lock:
        shape = _shapes.setdefault(what_else, object())
        _shapes.move_to_end(what_else)
        while len(_shapes) > SHAPES_MAX:
            _shapes.popitem(last=False)
        return shape


def clear() -> None:
    """Forget every entry's text and what the writer memoised (rules, names, zone blocks)."""
    with _lock:
        _chunks.clear()
        _shapes.clear()
    ical.forget()
