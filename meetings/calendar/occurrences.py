"""Pages for one occurrence of a series: move only this one (or bring a cancelled one back), and edit
"this and following" in the entry form. Thin: the rules are in series.py, shared with the API."""
from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.calendar import bp, publishing, recurrence, series, services
from meetings.calendar.forms import _conflict_rows, _form_page, _posted, form_to_input, input_to_form, manager_required
from meetings.calendar.rule_words import describe_rule
from meetings.errors import Conflict, NotFound, ServiceError, ValidationFailed
from meetings.timeutil import app_zone, now_utc


@bp.app_template_filter("rule_words")
def rule_words(rule: str | None, first_start: datetime | None) -> str:
    """{{ entry.rrule|rule_words(entry.recurrence_id or entry.start) }}: the rule in the reader's words."""
    return describe_rule(rule, first_start, app_zone()) if rule and first_start else ""


def _series_and_occurrence(event_id: int, original: str):
    try:
        event = services.get_event(event_id, current_user)
    except NotFound:
        abort(404)
    occurrence = series.find_occurrence(event, original)
    if occurrence is None:
        abort(404)
    return event, occurrence


def _back(event_id: int, original: str, **args):
    return redirect(url_for("calendar.event", event_id=event_id, at=original, **args) + "#this-occurrence")


@bp.post("/events/<int:event_id>/occurrences/<original>/move")
@manager_required
def move_occurrence(event_id: int, original: str):
    """Only this occurrence, to the date and times given; `restore` brings a cancelled one back as planned."""
    event, occurrence = _series_and_occurrence(event_id, original)
    zone = app_zone()
    if "restore" in request.form:
        start, end = occurrence.recurrence_id, occurrence.recurrence_id + (event.end_at - event.start_at)
        data = {"start": start.astimezone(zone).isoformat(), "end": end.astimezone(zone).isoformat()}
    else:
        day, begins, ends = (request.form.get(name, "").strip() for name in ("date", "start_time", "end_time"))
        if event.all_day:  # an all-day series moves by whole days and keeps its length
            data = {"start": f"{day}T00:00" if day else "", "end": None}
        else:
            data = {"start": f"{day}T{begins}" if day and begins else "", "end": f"{day}T{ends}" if day and ends else ""}
        if not data["start"] or not (data["end"] or event.all_day):
            flash(_("Give the new date, start and end of this occurrence."), "error")
            return _back(event_id, original)
    data["allow_conflict"] = "allow_conflict" in request.form
    try:
        series.edit_occurrence(event_id, original, data, current_user, now_utc())
    except Conflict as exc:
        clashes = "; ".join(f"{c['title']} ({c['start'][11:16]}–{c['end'][11:16]} {c['start'][8:10]}/{c['start'][5:7]})"
                            for c in _conflict_rows(exc.details.get("conflicts", [])))
        flash(_("A leader or the room is already booked at that time: %(clashes)s. Tick “Move anyway” to "
                "record the override.", clashes=clashes), "error")
        return _back(event_id, original, conflict=1, **{k: request.form.get(k, "") for k in (
            "date", "start_time", "end_time")})
    except ValidationFailed as exc:
        flash(" ".join(exc.fields.values()), "error")
        return _back(event_id, original)
    except ServiceError as exc:
        flash(exc.message, "error")
        return _back(event_id, original)
    flash(_("This occurrence is back as planned.") if "restore" in request.form
          else _("Only this occurrence was moved; the rest of the series is unchanged."), "success")
    return _back(event_id, original)


@bp.route("/events/<int:event_id>/occurrences/<original>/following", methods=["GET", "POST"])
@manager_required
def edit_following(event_id: int, original: str):
    """The entry form for this occurrence and every later one: saving splits the series here."""
    event, occurrence = _series_and_occurrence(event_id, original)
    heading = _("Edit this and the following occurrences")
    if occurrence.recurrence_id == event.start_at:  # nothing before it: that is the whole series
        return redirect(url_for("calendar.edit_event", event_id=event_id))
    if request.method == "POST":
        form = _posted()
        try:
            successor = series.edit_occurrence(event_id, original, {**form_to_input(request.form),
                                                                    "scope": "following"}, current_user, now_utc())
        except ValidationFailed as exc:
            return _form_page(form, event, errors=exc.fields, status=422, heading=heading, following=occurrence)
        except Conflict as exc:
            return _form_page(form, event, conflicts=_conflict_rows(exc), status=409, heading=heading,
                              following=occurrence)
        flash(_("Saved: from %(day)s on, the series follows the new details; the earlier occurrences are "
                "unchanged.", day=f"{successor.start_at.astimezone(app_zone()):%d/%m/%Y}"), "success")
        return redirect(url_for("calendar.event", event_id=successor.id))
    shift = occurrence.recurrence_id - event.start_at
    _head, tail = recurrence.split_rule(event.rrule, event.start_at, occurrence.recurrence_id, app_zone())
    form = input_to_form(publishing.entry_input(event, shift)) | {"status": event.status, "rrule": tail}
    return _form_page(form, event, heading=heading, following=occurrence)
