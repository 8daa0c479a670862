"""Which entries a feed holds, a cheap fingerprint of them, and the light rows access is decided on.

A feed covers entries reaching into the last PAST_DAYS days or later: published ones, cancelled
ones for CANCELLED_DAYS after the cancellation, and drafts for their leaders (shown TENTATIVE).
Both cut-offs move once a day (at local midnight), so within a day an unchanged feed stays
byte-identical.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import ARRAY, Integer, and_, any_, bindparam, func, or_, select

from meetings.calendar.models import Event, EventLeader, EventParticipant
from meetings.calendar.queries import entries_query
from meetings.directory.models import Room, Unit, User
from meetings.extensions import db
from meetings.feeds.ical import Person
from meetings.timeutil import app_zone

PAST_DAYS = 90
CANCELLED_DAYS = 30
FOREVER = datetime(9000, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FeedSpec:
    """A feed: its kind ("public" too), its target and the owner whose access shapes it."""

    kind: str
    target_id: int = 0
    owner: User | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.target_id, self.owner.id if self.owner else None)


def day_start(now: datetime) -> datetime:
    """Local midnight of `now`'s day, in UTC: the moment the cut-offs last moved."""
    zone = app_zone()
    return datetime.combine(now.astimezone(zone).date(), time(), zone).astimezone(timezone.utc)


def condition(spec: FeedSpec, now: datetime):
    """SQL condition selecting the feed's entries."""
    today = day_start(now)
    filters = {"personal": {"person": spec.owner}, "leader": {"leader_id": spec.target_id},
               "room": {"room_id": spec.target_id}, "unit": {"unit_id": spec.target_id}}.get(spec.kind, {})
    where = entries_query(today - timedelta(days=PAST_DAYS), FOREVER, **filters).whereclause
    shown = [Event.status == "published",
             and_(Event.status == "cancelled", Event.changed_at >= today - timedelta(days=CANCELLED_DAYS))]
    drafts_of = {"personal": spec.owner.id if spec.owner else None, "leader": spec.target_id}.get(spec.kind)
    if drafts_of:
        shown.append(and_(Event.status == "draft", Event.id.in_(
            select(EventLeader.event_id).where(EventLeader.user_id == drafts_of))))
    if spec.kind == "public":
        where = and_(where, Event.visibility == "public")
    return and_(where, or_(*shown))


def fingerprint(spec: FeedSpec, now: datetime) -> tuple:
    """Changes whenever anything the feed shows may have changed: one aggregate query.

    Every change to an entry (its links and occurrences included) updates its row, raising
    updated_at and version; an entry leaving or joining the feed changes the count and the id sum.
    Names of people, rooms and units appear in the text, so their latest change counts too.
    """
    row = db.session.connection().execute(select(
        func.count(Event.id), func.max(Event.updated_at), func.coalesce(func.sum(Event.version), 0),
        func.coalesce(func.sum(Event.id), 0),
        select(func.max(User.updated_at)).scalar_subquery(), select(func.max(Room.updated_at)).scalar_subquery(),
        select(func.max(Unit.updated_at)).scalar_subquery()).where(condition(spec, now))).one()
    return tuple(row) + (day_start(now),)


def generation(now: datetime) -> tuple:
    """Changes whenever anything any feed shows may have changed: the fingerprint's measures over
    the whole entries table, with no per-row condition to evaluate (a scan of narrow columns,
    about a fifth of a 5,000-entry feed's fingerprint on SQLite). Equal generations mean no entry
    was added, removed or changed (every change raises its version), no person, room or unit
    changed, and the day's cut-offs did not move: a body checked at this generation still holds."""
    row = db.session.connection().execute(select(
        func.count(Event.id), func.max(Event.updated_at), func.coalesce(func.sum(Event.version), 0),
        func.coalesce(func.sum(Event.id), 0), func.max(Event.id),
        select(func.max(User.updated_at)).scalar_subquery(), select(func.max(Room.updated_at)).scalar_subquery(),
        select(func.max(Unit.updated_at)).scalar_subquery())).one()
    return tuple(row) + (day_start(now),)


def directory_stamp() -> tuple:
    """When any person, room or unit last changed: cached entry text older than this is stale."""
    return tuple(db.session.connection().execute(select(
        select(func.max(User.updated_at)).scalar_subquery(), select(func.max(Room.updated_at)).scalar_subquery(),
        select(func.max(Unit.updated_at)).scalar_subquery())).one())


@dataclass(slots=True)
class EntryStub:
    """What calendar.access needs to decide, and the people the text names, read without loading
    whole entries."""

    id: int
    status: str
    visibility: str
    created_by_id: int | None
    version: int
    updated_at: datetime | None
    leaders: list = field(default_factory=list)  # (ical.Person, role), the chair first
    participants: list = field(default_factory=list)  # ical.Person
    units: list = field(default_factory=list)  # (unit id, name)
    extra: tuple = ()  # the extra columns asked of `stubs`

    @property
    def leader_ids(self) -> list[int]:
        return [person.user_id for person, _role in self.leaders]

    @property
    def participant_ids(self) -> list[int]:
        return [person.user_id for person in self.participants]

    @property
    def participant_unit_ids(self) -> list[int]:
        return [unit_id for unit_id, _name in self.units]


def _among(column, found: dict, event_ids):
    """`column IN event_ids`. On PostgreSQL the ids already read (`found`) go as one array (`= ANY`),
    planned like a join: the feed's own condition again as a subquery cost it as much as the feed's
    first query. SQLite keeps `event_ids` (a list, or a subquery rather than 5,000 parameters)."""
    if db.session.connection().dialect.name == "postgresql":
        return column == any_(bindparam("event_ids", list(found), type_=ARRAY(Integer)))
    return column.in_(event_ids)


def add_people(found: dict, event_ids) -> None:
    """Leaders and participants with the names and addresses the text shows, appended to the
    stubs in `found` (by id), in the entries' own order; `event_ids` is a list or a subquery."""
    leaders, participants = EventLeader.__table__, EventParticipant.__table__
    user, unit = User.__table__, Unit.__table__
    known: dict = {}  # one Person per user: a leader's own feed names them 5,000 times

    def person(user_id, name, email) -> Person:
        found = known.get(user_id)
        if found is None:
            found = known[user_id] = Person(user_id, name, email)
        return found

    for event_id, role, user_id, name, email in db.session.connection().execute(
            select(leaders.c.event_id, leaders.c.role, user.c.id, user.c.name, user.c.email)
            .join(user, user.c.id == leaders.c.user_id).where(_among(leaders.c.event_id, found, event_ids))
            .order_by(leaders.c.event_id, leaders.c.position, leaders.c.id)):
        if event_id in found:  # an entry committed between the two reads waits for the next fetch
            found[event_id].leaders.append((person(user_id, name, email), role))
    for event_id, user_id, name, email, unit_id, unit_name in db.session.connection().execute(
            select(participants.c.event_id, user.c.id, user.c.name, user.c.email, unit.c.id, unit.c.name)
            .outerjoin(user, user.c.id == participants.c.user_id).outerjoin(unit, unit.c.id == participants.c.unit_id)
            .where(_among(participants.c.event_id, found, event_ids)).order_by(participants.c.event_id, participants.c.id)):
        stub = found.get(event_id)
        if stub is not None and user_id is not None:
            stub.participants.append(person(user_id, name, email))
        if stub is not None and unit_id is not None:
            stub.units.append((unit_id, unit_name))


def stubs(spec: FeedSpec, now: datetime, extra: list = ()) -> list[EntryStub]:
    """The feed's entries as light rows, in id order: three narrow Core queries, no ORM objects;
    `extra` columns come along in `EntryStub.extra`."""
    where, event = condition(spec, now), Event.__table__
    found = {row[0]: EntryStub(*row[:6], extra=tuple(row[6:])) for row in db.session.connection().execute(
        select(event.c.id, event.c.status, event.c.visibility, event.c.created_by_id, event.c.version,
               event.c.updated_at, *extra).where(where).order_by(event.c.id))}
    add_people(found, select(event.c.id).where(where))
    return list(found.values())
