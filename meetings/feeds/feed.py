"""Building a feed's body: the entries the owner may know of, each serialised once per change.

Each entry's VEVENT text is kept per (entry, version, access, language, links): a rebuilt feed of
5,000 entries serialises only the ones that changed. `build_naive` is the way peers do it (every
entry loaded and serialised on every request), kept for the benchmark's comparison.
"""
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from email.utils import parseaddr

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from meetings.calendar.access import Access, entry_access
from meetings.calendar.models import Event, EventChange, EventLeader, EventParticipant
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db
from meetings.feeds import ical
from meetings.feeds.selection import FeedSpec, directory_stamp, stubs
from meetings.feeds.zones import vtimezone
from meetings.timeutil import app_zone

CHUNKS_MAX = 100_000
_chunks: OrderedDict = OrderedDict()
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


def load(ids) -> dict[int, Event]:
    """Whole entries with their links, in a handful of batched queries."""
    if not ids:
        return {}
    query = select(Event).where(Event.id.in_(list(ids))).options(
        selectinload(Event.leaders).selectinload(EventLeader.user),
        selectinload(Event.participants).selectinload(EventParticipant.user),
        selectinload(Event.participants).selectinload(EventParticipant.unit),
        selectinload(Event.overrides), selectinload(Event.room))
    return {event.id: event for event in db.session.scalars(query)}


def last_changes(ids) -> dict[int, datetime]:
    """Each entry's last change as its history records it (the time the service was given)."""
    if not ids:
        return {}
    rows = db.session.execute(select(EventChange.event_id, func.max(EventChange.changed_at))
                              .where(EventChange.event_id.in_(list(ids))).group_by(EventChange.event_id))
    return {event_id: moment for event_id, moment in rows}


def _changed_at(event: Event, changes: dict) -> datetime:
    moment = changes.get(event.id) or event.changed_at or event.updated_at or event.created_at
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # aggregates may lose the type


def serialise(event: Event, full: bool, changes: dict, ctx: ical.Context, words: dict) -> bytes:
    return b"".join(ical.to_bytes(c) for c in ical.components(event, full, _changed_at(event, changes), ctx,
                                                               words=words))


def _assemble(spec: FeedSpec, ctx: ical.Context, chunks: list[bytes]) -> bytes:
    head = ical.to_bytes(ical.calendar(feed_name(spec)))
    end = b"END:VCALENDAR\r\n"
    return head[:-len(end)] + ical.to_bytes(vtimezone(ctx.zone)) + b"".join(chunks) + end


def build(spec: FeedSpec, now: datetime) -> bytes:
    ctx, locale, stamp = context(), locale_of(spec), directory_stamp()
    with force_locale(locale):
        wanted, words = [], ical.labels()
        for stub in stubs(spec, now):
            access = entry_access(spec.owner, stub)
            if access is not Access.NONE:
                full = access is Access.FULL
                wanted.append((stub.id, (stub.id, stub.version, stub.updated_at, full, locale, ctx, stamp), full))
        with _lock:
            found = {key: _chunks.get(key) for _id, key, _full in wanted}
        missing = [(event_id, key, full) for event_id, key, full in wanted if found[key] is None]
        events, changes = load({m[0] for m in missing}), last_changes({m[0] for m in missing})
        for event_id, key, full in missing:
            if event_id in events:
                found[key] = serialise(events[event_id], full, changes, ctx, words)
        with _lock:
            for _id, key, _full in missing:
                if found.get(key) is not None:
                    _chunks[key] = found[key]
            while len(_chunks) > CHUNKS_MAX:
                _chunks.popitem(last=False)
        return _assemble(spec, ctx, [found[key] for _id, key, _full in wanted if found.get(key)])


def build_naive(spec: FeedSpec, now: datetime) -> bytes:
    """Every entry loaded and serialised again: what the benchmark compares against."""
    ctx = context()
    with force_locale(locale_of(spec)):
        ids, words = [stub.id for stub in stubs(spec, now)], ical.labels()
        events, changes = load(ids), last_changes(ids)
        chunks = []
        for event_id in ids:
            access = entry_access(spec.owner, events[event_id])
            if access is not Access.NONE:
                chunks.append(serialise(events[event_id], access is Access.FULL, changes, ctx, words))
        return _assemble(spec, ctx, chunks)


def clear() -> None:
    with _lock:
        _chunks.clear()
