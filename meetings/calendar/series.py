"""Single occurrences of a series: move or cancel one, or change "this and following"."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.calendar import history, hooks, recurrence
from meetings.calendar.input import parse_moment, read_event
from meetings.calendar.models import Event, EventOverride
from meetings.calendar.conflicts import find_conflicts
from meetings.calendar.services import (apply_values, check_conflicts, check_editor, current_values,
                                        finish_change, is_visible, lock_for_edit, refresh_derived, touched_weeks)
from meetings.calendar.weeks import raise_revisions
from meetings.errors import Conflict, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.timeutil import app_zone
from meetings.validation import Fields


def _occurrence_start(event: Event, original: str) -> datetime:
    """The UTC start an occurrence was first planned at, checked against the rule."""
    moment = parse_moment(original, app_zone())
    if not event.rrule or not isinstance(moment, datetime):
        raise NotFound(_("No such occurrence."))
    planned = recurrence.starts_between(event.rrule, event.start_at, app_zone(), moment, moment)
    if not planned and moment not in {o.original_start for o in event.overrides}:
        raise NotFound(_("No such occurrence."))
    return moment


def find_occurrence(event: Event, original: str | None):
    """The occurrence of the series first planned at `original` (ISO 8601) as it stands now, moved or
    cancelled; None when there is no such occurrence (a reader's page then just shows the series)."""
    try:
        at = _occurrence_start(event, original or "")
    except NotFound:
        return None
    duration = event.end_at - event.start_at
    override = next((o for o in event.overrides if o.original_start == at), None)
    if override is None:
        return recurrence.Occurrence(event, at, at + duration, at)
    if override.cancelled:
        return recurrence.Occurrence(event, at, at + duration, at, cancelled=True)
    return recurrence.Occurrence(event, override.start_at, override.end_at, at, moved=True)


def edit_occurrence(event_id: int, original: str, data: dict, actor=None, now: datetime | None = None):
    """Move one occurrence (`start`/`end`), cancel it (`cancelled: true`), or with
    `scope: "following"` apply the other fields to it and every later one (the series is split)."""
    check_editor(actor)
    event = lock_for_edit(event_id)
    at = _occurrence_start(event, original)
    if data.get("scope") == "following":
        return split_series(event, at, data, actor, now)
    fields = Fields(data)
    cancelled = fields.boolean("cancelled", default=False)
    allow = fields.boolean("allow_conflict", default=False)
    duration = event.end_at - event.start_at
    start = parse_moment(data.get("start"), app_zone()) if data.get("start") else at
    end = parse_moment(data.get("end"), app_zone()) if data.get("end") else (
        start + duration if isinstance(start, datetime) else None)
    if not cancelled and not (isinstance(start, datetime) and isinstance(end, datetime) and end > start):
        fields.fail("start", _("Give a new start and end (ISO 8601), or cancelled: true."))
    fields.raise_if_errors()
    override = next((o for o in event.overrides if o.original_start == at), None)
    old = "cancelled" if override and override.cancelled else (override.start_at if override else at)
    if override is None:
        override = EventOverride(original_start=at)
        event.overrides.append(override)
    override.cancelled, override.start_at, override.end_at = cancelled, (None if cancelled else start), \
        (None if cancelled else end)
    refresh_derived(event)
    zone = app_zone()
    new = "cancelled" if cancelled else start.astimezone(zone).isoformat()
    change = {"occurrence " + at.astimezone(zone).isoformat(): (
        old if isinstance(old, str) else old.astimezone(zone).isoformat(), new)}
    batch, actor_id = history.new_batch(), actor.id if actor else None
    if not cancelled and event.status == "published":
        _check_one(event, start, end, allow, batch, actor_id, now)
    history.record(event, batch, change, actor_id, now)
    if is_visible(event.status):
        event.sequence += 1
        event.changed_at = now
        spans = [(at, at + duration)] + ([] if cancelled else [(start, end)])
        raise_revisions(touched_weeks(spans), event.id, batch, actor_id, now)
    event.version += 1
    hooks.entry_changed(event, {"occurrence": next(iter(change.values()))}, actor, now)
    db.session.commit()
    return event


def _check_one(event, start, end, allow, batch, actor_id, now) -> None:
    """Only the moved occurrence needs checking, not the whole series."""
    zone = app_zone()
    clashes = find_conflicts([(start, end)], event.leader_ids, event.room_id, [event.id], zone)
    if clashes and not allow:
        db.session.rollback()
        raise Conflict(_("A leader or the room is already booked at that time."),
                       conflicts=[c.as_json(zone) for c in clashes])
    if clashes:
        history.record(event, batch, {"conflict_override": (None, ", ".join(f"#{c.event_id}" for c in clashes))},
                       actor_id, now)


def split_series(event: Event, at: datetime, data: dict, actor, now: datetime) -> Event:
    """End the series before `at`; a new series from `at` on takes the changes."""
    zone = app_zone()
    if at == event.start_at:
        raise ValidationFailed({"scope": _("This is the first occurrence: edit the whole series instead.")})
    head, tail = recurrence.split_rule(event.rrule, event.start_at, at, zone)
    duration = event.end_at - event.start_at
    copy = {name: getattr(event, name) for name in (
        "title", "all_day", "session", "kind", "visibility", "status", "room_id", "location", "online_url",
        "preparing_unit", "guests", "description", "cancel_reason")}
    chair = next((link.user_id for link in event.leaders if link.role == "chair"), None)
    successor = Event(created_by_id=actor.id if actor else None, split_from_id=event.id, sequence=0, version=1,
                      published_at=event.published_at)
    apply_values(successor, {**copy, "start_at": at, "end_at": at + duration, "rrule": tail,
                             "leader_ids": event.leader_ids, "chair_id": chair,
                             "participant_ids": event.participant_ids,
                             "participant_unit_ids": event.participant_unit_ids})
    values, fields = read_event({k: v for k, v in data.items() if k != "scope"}, zone, current_values(successor))
    fields.raise_if_errors()
    apply_values(successor, values)
    for override in [o for o in event.overrides if o.original_start >= at]:
        event.overrides.remove(override)
        successor.overrides.append(EventOverride(
            original_start=override.original_start + (successor.start_at - at), cancelled=override.cancelled,
            start_at=override.start_at, end_at=override.end_at))
    before, before_span = history.describe(event, zone), (event.span_start, event.span_end)
    event.rrule = head
    refresh_derived(event)
    refresh_derived(successor)
    db.session.add(successor)
    db.session.flush()
    batch, actor_id = history.new_batch(), actor.id if actor else None
    check_conflicts(successor, values.get("allow_conflict", False), batch, actor_id, now)
    was_visible = is_visible(event.status)
    changes = finish_change(event, before, before_span, batch, actor_id, now, was_visible)
    if changes:
        event.version += 1
        hooks.entry_changed(event, changes, actor, now)
    history.record(successor, batch, {"split_from": (None, str(event.id))}, actor_id, now)
    finish_change(successor, None, None, batch, actor_id, now, was_visible=False)
    hooks.entry_changed(successor, {"split_from": (None, str(event.id))}, actor, now, created=True)
    db.session.commit()
    return successor
