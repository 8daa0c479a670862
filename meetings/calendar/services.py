"""Entries: create, edit, cancel. Plain functions of (values, the acting user, now).

Each write is one transaction: lock the leaders and rooms involved, re-read, check conflicts,
write the entry and its history, raise the revision of published weeks it touches, commit.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetings.calendar import history, hooks, recurrence
from meetings.calendar.access import can_edit_entry, can_see_entry
from meetings.calendar.conflicts import (draft_partners, find_conflicts, footprint, intervals_of, lock_calendar,
                                         refresh_draft_flags)
from meetings.calendar.input import read_event
from meetings.calendar.models import Event, EventLeader, EventParticipant
from meetings.calendar.weeks import raise_revisions, weeks_between
from meetings.directory.models import Room, Unit, User
from meetings.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.text import fold_vietnamese
from meetings.timeutil import app_zone

SCALARS = ("title", "start_at", "end_at", "all_day", "session", "kind", "visibility", "status", "room_id",
           "location", "online_url", "preparing_unit", "guests", "description", "rrule", "cancel_reason")


class Stale(ServiceError):
    """The entry changed since the caller read it; `current` carries it as it is now."""

    status = 409
    code = "stale"


def get_event(event_id: int, user=None) -> Event:
    """The entry if it exists and the user may see its content; NotFound otherwise."""
    event = db.session.scalar(select(Event).where(Event.id == event_id).options(
        selectinload(Event.leaders).selectinload(EventLeader.user), selectinload(Event.overrides),
        selectinload(Event.participants)))
    if event is None or (user is not None and not can_see_entry(user, event)):
        raise NotFound(_("No such entry."))
    return event


def check_editor(actor) -> None:
    if actor is not None and not can_edit_entry(actor):
        raise Forbidden(_("Only the office's secretaries may change the calendar."))


def is_visible(status: str | None) -> bool:
    """Published and cancelled entries are what readers see; drafts are the office's business."""
    return status in ("published", "cancelled")


def apply_values(event: Event, values: dict) -> None:
    for name in SCALARS:
        if name in values:
            setattr(event, name, values[name])
    if "room_id" in values:  # keep the relation in step: invitations and search read `event.room`
        event.room = db.session.get(Room, values["room_id"]) if values["room_id"] else None
    if "leader_ids" in values:
        _set_leaders(event, values["leader_ids"], values.get("chair_id"))
    if "participant_ids" in values or "participant_unit_ids" in values:
        _set_participants(event, values.get("participant_ids", event.participant_ids),
                          values.get("participant_unit_ids", event.participant_unit_ids))
    if values.get("room_id") and "online_url" not in values and not event.online_url:
        event.online_url = db.session.get(Room, values["room_id"]).online_url  # the room's default link


def _set_leaders(event: Event, leader_ids: list[int], chair_id: int | None) -> None:
    # Reuse link rows: deleting and re-inserting the same leader would trip the unique constraint.
    chair_id = chair_id or (leader_ids[0] if leader_ids else None)
    ordered = sorted(leader_ids, key=lambda i: i != chair_id)
    existing = {link.user_id: link for link in event.leaders}
    event.leaders = [existing.get(user_id) or EventLeader(user_id=user_id, user=db.session.get(User, user_id))
                     for user_id in ordered]
    for position, link in enumerate(event.leaders):
        link.position, link.role = position, "chair" if link.user_id == chair_id else "attend"


def _set_participants(event: Event, user_ids: list[int], unit_ids: list[int]) -> None:
    people = {p.user_id: p for p in event.participants if p.user_id}
    units = {p.unit_id: p for p in event.participants if p.unit_id}
    event.participants = (
        [people.get(i) or EventParticipant(user_id=i, user=db.session.get(User, i)) for i in user_ids]
        + [units.get(i) or EventParticipant(unit_id=i, unit=db.session.get(Unit, i)) for i in unit_ids])


def refresh_derived(event: Event) -> None:
    """The stored reach of the event and its folded search text, both read by queries."""
    event.span_start, event.span_end = recurrence.span(event, app_zone())
    words = [event.title, event.description, event.location, event.preparing_unit, event.guests,
             event.room.name if event.room else (db.session.get(Room, event.room_id).name if event.room_id else None)]
    words += [link.user.name for link in event.leaders if link.user]
    words += [p.user.name if p.user else p.unit.name for p in event.participants if p.user or p.unit]
    event.search_folded = fold_vietnamese(" ".join(w for w in words if w))


def check_conflicts(event: Event, allow: bool, batch: str, actor_id, now: datetime, partners=()):
    """Refuse a published double-booking unless overridden (then recorded); flag it on a draft,
    whether it overlaps a published entry or another draft. `partners`: drafts whose flags
    depended on where the entry was before."""
    zone = app_zone()
    clashes = find_conflicts(intervals_of(event, zone), event.leader_ids, event.room_id, [event.id], zone)
    event.has_conflict = bool(clashes)
    if clashes and event.status == "published":
        if not allow:
            db.session.rollback()
            raise Conflict(_("A leader or the room is already booked at that time."),
                           conflicts=[c.as_json(zone) for c in clashes])
        history.record(event, batch, {"conflict_override": (None, ", ".join(
            dict.fromkeys(f"#{c.event_id}" for c in clashes)))}, actor_id, now)
    if event.status == "draft":
        clashes = find_conflicts(intervals_of(event, zone), event.leader_ids, event.room_id, [event.id], zone,
                                 statuses=("published", "draft"))
        event.has_conflict = bool(clashes)
    refresh_draft_flags(set(partners) | draft_partners(event, zone), zone)
    return clashes


def touched_weeks(spans) -> list:
    weeks = {}
    for first, last in spans:
        for week in weeks_between(first, last, app_zone()):
            weeks[week.key] = week
    return list(weeks.values())


def finish_change(event: Event, before: dict | None, before_span, batch: str, actor_id, now: datetime,
                  was_visible: bool) -> dict:
    """History, sequence and week revisions for a saved change; returns the changed fields."""
    changes = history.diff(before or {}, history.describe(event, app_zone())) if before else {}
    if before is None:
        history.record(event, batch, {"created": (None, event.title)}, actor_id, now)
    else:
        history.record(event, batch, changes, actor_id, now)
    if (changes or before is None) and (was_visible or is_visible(event.status)):
        if was_visible:
            event.sequence += 1
        event.changed_at = now
        if event.status == "published" and event.published_at is None:
            event.published_at = now
        spans = [(event.span_start, event.span_end)] + ([before_span] if before_span else [])
        raise_revisions(touched_weeks(spans), event.id, batch, actor_id, now)
    return changes


def create_event(data: dict, actor=None, now: datetime | None = None) -> tuple[Event, list]:
    """A new entry (draft by default). Returns the entry and the conflicts flagged on it."""
    check_editor(actor)
    values, fields = read_event(data, app_zone())
    fields.raise_if_errors()
    lock_calendar(values["leader_ids"], [values.get("room_id")])
    event = Event(created_by_id=actor.id if actor else None, sequence=0, version=1)
    apply_values(event, values)
    refresh_derived(event)
    db.session.add(event)
    db.session.flush()
    batch, actor_id = history.new_batch(), actor.id if actor else None
    clashes = check_conflicts(event, values["allow_conflict"], batch, actor_id, now)
    finish_change(event, None, None, batch, actor_id, now, was_visible=False)
    hooks.entry_changed(event, {"created": (None, event.title)}, actor, now, created=True)
    db.session.commit()
    return event, clashes


def lock_for_edit(event_id: int, leader_ids=(), room_ids=()) -> Event:
    """Lock the entry and the resources it will hold, then re-read it as committed now."""
    current = db.session.get(Event, event_id)
    if current is None:
        raise NotFound(_("No such entry."))
    lock_calendar(set(leader_ids) | set(current.leader_ids), set(room_ids) | {current.room_id}, [event_id])
    db.session.expire_all()
    return get_event(event_id)


def current_values(event: Event) -> dict:
    return {"start_at": event.start_at, "end_at": event.end_at, "all_day": event.all_day,
            "session": event.session}


def update_event(event_id: int, data: dict, actor=None, now: datetime | None = None) -> tuple[Event, list]:
    """Edit an entry. A `version` that is no longer current is refused (no lost update)."""
    check_editor(actor)
    from meetings.calendar.present import entry_json

    preview = get_event(event_id)
    values, fields = read_event(data, app_zone(), current_values(preview))
    fields.raise_if_errors()
    event = lock_for_edit(event_id, values.get("leader_ids", ()), [values.get("room_id")])
    if is_visible(event.status) and values.get("status") == "draft":
        db.session.rollback()
        raise ValidationFailed({"status": _("A published entry cannot go back to draft; cancel it instead.")})
    if "version" in data and str(data["version"]) != str(event.version):
        current = entry_json(event, actor)
        db.session.rollback()
        raise Stale(_("Someone else changed this entry; here it is as it is now."), current=current,
                    version=current["version"])
    if values.get("rrule") is not None and values.get("rrule") != event.rrule and event.overrides:
        event.overrides = []  # a new rule makes the old occurrence keys meaningless
    before, before_span, was_visible = history.describe(event, app_zone()), (event.span_start, event.span_end), \
        is_visible(event.status)
    before_place, partners = footprint(event), draft_partners(event, app_zone())
    apply_values(event, values)
    refresh_derived(event)
    batch, actor_id = history.new_batch(), actor.id if actor else None
    clashes = []
    if footprint(event) != before_place:  # a conflict that already stood does not block other edits
        clashes = check_conflicts(event, values["allow_conflict"], batch, actor_id, now, partners)
    changes = finish_change(event, before, before_span, batch, actor_id, now, was_visible)
    if changes:
        event.version += 1
        hooks.entry_changed(event, changes, actor, now)
    db.session.commit()
    return event, clashes


def cancel_event(event_id: int, reason: str | None, actor=None, now: datetime | None = None,
                 version: int | None = None) -> Event:
    """Cancelled entries stay, struck through with the reason, so readers learn of it."""
    return update_event(event_id, {"status": "cancelled", "cancel_reason": reason,
                                   **({"version": version} if version is not None else {})}, actor, now)[0]
