"""The weekly schedule as a document: publish a week, list what changed since a revision,
and start next week from last week's habitual entries."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetings.calendar import history, hooks
from meetings.calendar.conflicts import find_conflicts, intervals_of, lock_calendar
from meetings.calendar.models import Event, EventChange, WeekRevision
from meetings.calendar.queries import entries_query
from meetings.calendar.services import check_editor, create_event
from meetings.calendar.weeks import Week, announce_weeks, get_or_create_schedule, schedule_for
from meetings.errors import Conflict
from meetings.extensions import db
from meetings.text import fold_vietnamese
from meetings.timeutil import app_zone


def publish_week(week: Week, actor=None, now: datetime | None = None, allow_conflict: bool = False):
    """Publish the week's drafts and the week itself (revision 1), or raise its revision when
    it was already published. Drafts that would double-book stop it unless overridden."""
    check_editor(actor)
    zone = app_zone()
    start, end = week.bounds(zone)
    drafts = db.session.scalars(select(Event).where(Event.status == "draft", Event.start_at >= start,
                                                    Event.start_at < end).order_by(Event.start_at, Event.id)
                                .options(selectinload(Event.leaders), selectinload(Event.overrides))).all()
    lock_calendar({i for d in drafts for i in d.leader_ids}, {d.room_id for d in drafts})
    db.session.expire_all()
    schedule = get_or_create_schedule(week)
    batch, actor_id = history.new_batch(), actor.id if actor else None
    clashes = []
    for draft in drafts:
        draft = db.session.get(Event, draft.id)
        if draft.status != "draft":
            continue
        found = find_conflicts(intervals_of(draft, zone), draft.leader_ids, draft.room_id, [draft.id], zone,
                               draft_id=draft.id)
        clashes.extend(found)
        draft.status, draft.published_at, draft.changed_at, draft.has_conflict = "published", now, now, bool(found)
        changes = {"status": ("draft", "published")}
        if found:
            changes["conflict_override"] = (None, ", ".join(f"#{c.event_id}" for c in found))
        history.record(draft, batch, changes, actor_id, now)
        hooks.entry_changed(draft, changes, actor, now)
        db.session.flush()  # the next draft is checked against this one
    if clashes and not allow_conflict:
        db.session.rollback()
        raise Conflict(_("Some drafts would double-book a leader or a room."),
                       conflicts=[c.as_json(zone) for c in clashes])
    if schedule.status != "published":
        schedule.status, schedule.revision, schedule.published_at = "published", 1, now
        db.session.add(WeekRevision(week_id=schedule.id, number=1, batch=batch, changed_at=now, user_id=actor_id))
    elif drafts:
        schedule.revision += 1
        db.session.add(WeekRevision(week_id=schedule.id, number=schedule.revision, batch=batch, changed_at=now,
                                    user_id=actor_id))
    schedule.updated_at = now
    announce_weeks([week.key])
    db.session.commit()
    return schedule


def changes_since(week: Week, revision: int) -> list[tuple[WeekRevision, list[tuple[Event, list[EventChange]]]]]:
    """Each revision after `revision`, newest first, with the entries it touched and their field
    changes. Callers filter the entries through access before showing them."""
    schedule = schedule_for(week)
    if schedule is None:
        return []
    revisions = db.session.scalars(select(WeekRevision).where(
        WeekRevision.week_id == schedule.id, WeekRevision.number > revision)
        .order_by(WeekRevision.number.desc())).all()
    batches = {r.batch for r in revisions if r.batch}
    rows = db.session.scalars(select(EventChange).where(EventChange.batch.in_(batches))
                              .order_by(EventChange.id)).all() if batches else []
    events = {e.id: e for e in db.session.scalars(
        select(Event).where(Event.id.in_({c.event_id for c in rows}))
        .options(selectinload(Event.leaders), selectinload(Event.participants)))}
    found = []
    for r in revisions:
        mine = [c for c in rows if c.batch == r.batch and (r.event_id is None or c.event_id == r.event_id)]
        by_event = {}
        for change in mine:
            by_event.setdefault(change.event_id, []).append(change)
        found.append((r, [(events[i], changes) for i, changes in by_event.items()]))
    return found


def event_history(event_id: int) -> list[EventChange]:
    return list(db.session.scalars(select(EventChange).where(EventChange.event_id == event_id)
                                   .order_by(EventChange.changed_at.desc(), EventChange.id.desc())
                                   .options(selectinload(EventChange.user))))


def habitual_entries(week: Week) -> list[tuple[Event, bool]]:
    """Last week's single entries, each marked when it also happened the week before with the
    same title at the same weekday and time: the office's unwritten weekly habits."""
    zone = app_zone()
    last, before = week.shifted(-1), week.shifted(-2)
    found = db.session.scalars(entries_query(*last.bounds(zone), statuses=("published", "draft"))
                               .where(Event.rrule.is_(None))).all()
    earlier = db.session.scalars(entries_query(*before.bounds(zone), statuses=("published",))
                                 .where(Event.rrule.is_(None))).all()
    habits = {(fold_vietnamese(e.title), (e.start_at + timedelta(days=7))) for e in earlier}
    return [(e, (fold_vietnamese(e.title), e.start_at) in habits) for e in sorted(found, key=lambda e: e.start_at)]


def copy_entries(event_ids: list[int], days: int, actor=None, now: datetime | None = None) -> list[Event]:
    """Copies of these entries `days` later, as drafts (duplicating one entry is days=0)."""
    copies = []
    for event_id in event_ids:
        source = db.session.get(Event, event_id)
        if source is None:
            continue
        data = entry_input(source, shift=timedelta(days=days))
        copies.append(create_event(data, actor, now)[0])
    return copies


def entry_input(event: Event, shift: timedelta = timedelta()) -> dict:
    """The entry as API input: what a duplicate starts from."""
    zone = app_zone()
    chair = next((link.user_id for link in event.leaders if link.role == "chair"), None)
    start, end = (event.start_at + shift).astimezone(zone), (event.end_at + shift).astimezone(zone)
    if event.all_day:  # input names the last day; storage keeps the exclusive end
        start, end = start.date(), (end - timedelta(days=1)).date()
    return {"title": event.title, "start": start.isoformat(), "end": end.isoformat(), "all_day": event.all_day,
            "session": event.session, "kind": event.kind, "visibility": event.visibility, "status": "draft",
            "leader_ids": event.leader_ids, "chair_id": chair, "participant_ids": event.participant_ids,
            "participant_unit_ids": event.participant_unit_ids, "room_id": event.room_id,
            "location": event.location, "online_url": event.online_url, "preparing_unit": event.preparing_unit,
            "guests": event.guests, "description": event.description}
