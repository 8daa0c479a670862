"""The double-booking rule: a leader or a room is never in two overlapping published entries.

Checks run inside the writing transaction, after `lock_calendar` has serialised every writer that
touches the same leaders or rooms, so two secretaries saving at once cannot both pass the check.
"""
import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, text
from sqlalchemy.orm import selectinload

from meetings.calendar import recurrence
from meetings.calendar.models import Event, EventLeader
from meetings.extensions import db

# How far ahead a series without end is checked; beyond that the office re-plans anyway.
HORIZON = timedelta(days=730)
# pg_advisory_xact_lock(namespace, id): one namespace per kind of resource.
LEADER_LOCK, ROOM_LOCK, EVENT_LOCK = 7301, 7302, 7303


@dataclass(frozen=True)
class Clash:
    event_id: int
    start: datetime
    end: datetime
    leader_id: int | None = None
    room_id: int | None = None
    draft_id: int | None = None  # the entry being saved, when several are checked at once

    def as_json(self, zone: ZoneInfo) -> dict:
        found = {"event_id": self.event_id, "start": self.start.astimezone(zone).isoformat(),
                 "end": self.end.astimezone(zone).isoformat()}
        found.update({"leader_id": self.leader_id} if self.leader_id else {"room_id": self.room_id})
        if self.draft_id:
            found["draft_id"] = self.draft_id
        return found


def lock_calendar(leader_ids, room_ids, event_ids=()) -> None:
    """Serialise writers for these leaders and rooms until the transaction ends.

    PostgreSQL: transaction-scoped advisory locks, taken in a fixed order so two writers cannot
    deadlock. SQLite: BEGIN IMMEDIATE takes the database's single write lock up front (a deferred
    transaction would let both writers read first and then both write).
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        keys = sorted({(LEADER_LOCK, i) for i in leader_ids if i} | {(ROOM_LOCK, i) for i in room_ids if i}
                      | {(EVENT_LOCK, i) for i in event_ids if i})
        for namespace, key in keys:
            connection.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"), {"ns": namespace, "key": key})
    elif connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if not raw.in_transaction:  # a transaction that already wrote holds the write lock anyway
            raw.execute("BEGIN IMMEDIATE")


def overlapping(start: datetime, end: datetime):
    """SQL condition: the event's reach meets [start, end)."""
    return (Event.span_start < end) & or_(Event.span_end.is_(None), Event.span_end > start)


def intervals_of(event: Event, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Where the event will be, occurrence by occurrence (cancelled ones free their slot)."""
    if event.status == "cancelled":
        return []
    if not event.rrule:
        return [(event.start_at, event.end_at)]
    end = event.span_end or event.start_at + HORIZON
    return [(o.start, o.end) for o in recurrence.expand(event, event.span_start, end, zone) if not o.cancelled]


def find_conflicts(intervals, leader_ids, room_id, exclude_ids, zone: ZoneInfo, draft_id=None,
                   statuses=("published",)) -> list[Clash]:
    """Entries (published ones unless `statuses` says) sharing a leader or the room with any of `intervals`."""
    intervals = sorted(intervals)
    leader_ids = set(leader_ids or ())
    if not intervals or not (leader_ids or room_id):
        return []
    low, high = intervals[0][0], max(end for _, end in intervals)
    sharing = []
    if leader_ids:
        sharing.append(Event.id.in_(select(EventLeader.event_id).where(EventLeader.user_id.in_(leader_ids))))
    if room_id:
        sharing.append(Event.room_id == room_id)
    others = db.session.scalars(
        select(Event).where(Event.status.in_(statuses), overlapping(low, high), or_(*sharing),
                            Event.id.not_in([i for i in exclude_ids if i] or [0]))
        .options(selectinload(Event.leaders), selectinload(Event.overrides))).all()
    starts = [s for s, _ in intervals]
    clashes = []
    for other in others:
        for occurrence in recurrence.expand(other, low, high, zone):
            if occurrence.cancelled or not _overlaps_any(intervals, starts, occurrence.start, occurrence.end):
                continue
            for leader_id in sorted(leader_ids & set(other.leader_ids)):
                clashes.append(Clash(other.id, occurrence.start, occurrence.end, leader_id=leader_id,
                                     draft_id=draft_id))
            if room_id and other.room_id == room_id:
                clashes.append(Clash(other.id, occurrence.start, occurrence.end, room_id=room_id,
                                     draft_id=draft_id))
    return sorted(clashes, key=lambda c: (c.start, c.event_id))


def footprint(event: Event) -> tuple:
    """What the double-booking rule looks at: an edit that keeps it cannot create a conflict, so
    it is not refused for one that already stood (say, an overlap saved knowingly)."""
    return (event.start_at, event.end_at, event.rrule, frozenset(event.leader_ids), event.room_id, event.status,
            tuple((o.original_start, o.cancelled, o.start_at, o.end_at) for o in event.overrides))


def draft_partners(event: Event, zone: ZoneInfo) -> set[int]:
    """Drafts that overlap the event on a leader or its room: their flags depend on it."""
    return {c.event_id for c in find_conflicts(intervals_of(event, zone), event.leader_ids, event.room_id,
                                               [event.id], zone, statuses=("draft",))}


def refresh_draft_flags(draft_ids, zone: ZoneInfo) -> None:
    """A draft is flagged while it overlaps a published entry or another draft (a warning, not a
    refusal: the secretary resolves it before publishing the week)."""
    for draft in db.session.scalars(select(Event).where(Event.id.in_(set(draft_ids) or [0]),
                                                        Event.status == "draft")):
        draft.has_conflict = bool(find_conflicts(intervals_of(draft, zone), draft.leader_ids, draft.room_id,
                                                 [draft.id], zone, statuses=("published", "draft")))


def _overlaps_any(intervals, starts, start: datetime, end: datetime) -> bool:
    # Only intervals starting before `end` can overlap; among them, one ending after `start` does.
    index = bisect.bisect_left(starts, end)
    return any(intervals[i][1] > start for i in range(index - 1, -1, -1)) if index else False
