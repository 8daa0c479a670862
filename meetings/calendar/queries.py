"""Reading the calendar: occurrences in a range, filtered by leader, room, person or words.

One query for the entries whose stored reach meets the range, their links loaded in a handful of
batched queries (never one per entry), then series expanded in Python for that range only.
"""
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from meetings.calendar import recurrence
from meetings.calendar.conflicts import overlapping
from meetings.calendar.models import Event, EventLeader, EventParticipant
from meetings.directory.models import User
from meetings.extensions import db
from meetings.text import fold_vietnamese
from meetings.timeutil import app_zone


def entries_query(start: datetime, end: datetime, leader_id=None, room_id=None, q=None, person: User | None = None,
                  unit_id=None, statuses=None):
    query = select(Event).where(overlapping(start, end))
    if statuses:
        query = query.where(Event.status.in_(statuses))
    if leader_id:
        query = query.where(Event.id.in_(select(EventLeader.event_id).where(EventLeader.user_id == leader_id)))
    if room_id:
        query = query.where(Event.room_id == room_id)
    if unit_id:
        query = query.where(Event.id.in_(select(EventParticipant.event_id).where(EventParticipant.unit_id == unit_id))
                            | (Event.preparing_unit.is_not(None) & Event.search_folded.contains(
                                _unit_folded(unit_id), autoescape=True)))
    if person is not None:
        mine = [select(EventLeader.event_id).where(EventLeader.user_id == person.id),
                select(EventParticipant.event_id).where(EventParticipant.user_id == person.id)]
        if person.unit_id:
            mine.append(select(EventParticipant.event_id).where(EventParticipant.unit_id == person.unit_id))
        query = query.where(or_(*[Event.id.in_(m) for m in mine]))
    if q:
        # The one search engine (meetings/search): every word, "phrases", diacritics ignored.
        from meetings.search.engine import entry_ids_matching

        matching = entry_ids_matching(db.engine.dialect.name, q)
        if matching is not None:
            query = query.where(Event.id.in_(matching))
    return query.options(selectinload(Event.leaders).selectinload(EventLeader.user),
                         selectinload(Event.participants).selectinload(EventParticipant.user),
                         selectinload(Event.participants).selectinload(EventParticipant.unit),
                         selectinload(Event.overrides), selectinload(Event.room))


def _unit_folded(unit_id: int) -> str:
    from meetings.directory.models import Unit

    unit = db.session.get(Unit, unit_id)
    return fold_vietnamese(unit.name) if unit else "\x00"


def occurrences(start: datetime, end: datetime, **filters) -> list[recurrence.Occurrence]:
    """Every occurrence meeting [start, end), in time order; nothing is filtered for access here."""
    zone = app_zone()
    found = []
    for event in db.session.scalars(entries_query(start, end, **filters)):
        found.extend(recurrence.expand(event, start, end, zone))
    return sorted(found, key=lambda o: (o.start, o.end, o.event.id))
