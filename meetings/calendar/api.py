"""/api/v1/events and /api/v1/weeks: the calendar over JSON. Thin: parse, call a service, serialise."""
from datetime import datetime, timedelta

from flask import g, request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.routes import json_body
from meetings.calendar import openapi_paths  # noqa: F401  (registers the paths below in the document)
from meetings.calendar import labels, publishing, queries, series, services
from meetings.calendar.access import can_see_entry
from meetings.calendar.input import parse_moment
from meetings.calendar.present import entry_json, views
from meetings.calendar.weeks import parse_week, schedule_for, week_of
from meetings.errors import ValidationFailed
from meetings.timeutil import app_zone, now_utc

MAX_RANGE = timedelta(days=400)


def _created(event, clashes) -> dict:
    data = entry_json(event, g.api_user)
    data["conflicts"] = [c.as_json(app_zone()) for c in clashes]  # flagged on drafts, empty otherwise
    return data


def _range() -> tuple[datetime, datetime]:
    zone = app_zone()
    given = [request.args.get(name) for name in ("start", "end")]
    if given == [None, None]:
        return week_of(now_utc().astimezone(zone).date()).bounds(zone)
    start, end = (parse_moment(value, zone) for value in given)  # given but unreadable is an error
    errors = {name: _("Expected a date or date-time (ISO 8601).")
              for name, value in (("start", start), ("end", end)) if value is None}
    if errors:
        raise ValidationFailed(errors)
    start, end = (v if isinstance(v, datetime) else datetime.combine(v, datetime.min.time(), zone)
                  for v in (start, end))
    if end <= start or end - start > MAX_RANGE:
        raise ValidationFailed({"end": _("The end must come after the start, at most 400 days later.")})
    return start, end


@bp.get("/events")
def list_events():
    start, end = _range()
    q = request.args.get("q") or None
    found = queries.occurrences(start, end, leader_id=request.args.get("leader_id", type=int),
                                room_id=request.args.get("room_id", type=int), q=q)
    return {"events": [v.to_json() for v in views(found, g.api_user, content_only=bool(q))]}


@bp.post("/events")
def create_event():
    event, clashes = services.create_event(json_body(), g.api_user, now_utc())
    return _created(event, clashes), 201


@bp.get("/events/<int:event_id>")
def get_event(event_id: int):
    return entry_json(services.get_event(event_id, g.api_user), g.api_user)


@bp.patch("/events/<int:event_id>")
def update_event(event_id: int):
    services.get_event(event_id, g.api_user)
    event, clashes = services.update_event(event_id, json_body(), g.api_user, now_utc())
    return _created(event, clashes)


@bp.post("/events/<int:event_id>/cancel")
def cancel_event(event_id: int):
    services.get_event(event_id, g.api_user)
    body = json_body() if request.content_length else {}
    event = services.cancel_event(event_id, body.get("reason"), g.api_user, now_utc(), body.get("version"))
    return entry_json(event, g.api_user)


@bp.patch("/events/<int:event_id>/occurrences/<original_start>")
def edit_occurrence(event_id: int, original_start: str):
    services.get_event(event_id, g.api_user)
    event = series.edit_occurrence(event_id, original_start, json_body(), g.api_user, now_utc())
    return entry_json(event, g.api_user)


@bp.get("/events/<int:event_id>/history")
def event_history(event_id: int):
    services.get_event(event_id, g.api_user)
    zone, _locale = labels.reader_language(g.api_user)
    return {"history": [row.to_json(zone) for row in labels.for_reader(publishing.event_history(event_id),
                                                                        g.api_user)]}


def week_json(key: str) -> dict:
    schedule = schedule_for(parse_week(key))
    zone = app_zone()
    return {"week": parse_week(key).key, "status": schedule.status if schedule else "draft",
            "revision": schedule.revision if schedule else 0,
            "published_at": schedule.published_at.astimezone(zone).isoformat()
            if schedule and schedule.published_at else None,
            "updated_at": schedule.updated_at.astimezone(zone).isoformat()
            if schedule and schedule.updated_at else None}


@bp.get("/weeks/<key>")
def get_week(key: str):
    return week_json(key)


@bp.post("/weeks/<key>/publish")
def publish_week(key: str):
    body = json_body() if request.content_length else {}
    publishing.publish_week(parse_week(key), g.api_user, now_utc(), bool(body.get("allow_conflict")))
    return week_json(key)


@bp.get("/weeks/<key>/changes")
def week_changes(key: str):
    since = request.args.get("since", 0, type=int)
    zone, _locale = labels.reader_language(g.api_user)
    changes = []
    for revision, entries in publishing.changes_since(parse_week(key), since):
        changes.append({"revision": revision.number, "changed_at": revision.changed_at.astimezone(zone).isoformat(),
                        "entries": [{"event_id": event.id, "title": event.title, "fields": [
                            {name: row[name] for name in ("field", "field_label", "old", "new", "old_label",
                                                          "new_label")}
                            for row in (r.to_json(zone) for r in labels.for_reader(rows, g.api_user))]}
                            for event, rows in entries if can_see_entry(g.api_user, event)]})
    return {**week_json(key), "since": since, "changes": changes}
