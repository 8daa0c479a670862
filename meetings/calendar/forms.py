"""Calendar pages for secretaries: the fast entry form, duplicate, cancel, publish the week,
and copy last week's habitual entries. The form speaks the same fields as the API."""
from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from meetings.auth.decorators import allowed_only
from meetings.calendar import bp, publishing, rule_editor, series, services
from meetings.calendar.access import can_manage_calendar, can_see_entry
from meetings.calendar.models import KINDS, SESSIONS, VISIBILITIES, Event
from meetings.calendar.routes import leaders
from meetings.calendar.weeks import parse_week, week_of
from meetings.directory import services as directory
from meetings.errors import Conflict, NotFound, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.timeutil import app_zone, now_utc
from meetings.validation import as_id


manager_required = allowed_only(can_manage_calendar)


def form_to_input(form) -> dict:
    """The form's date + time boxes and checkboxes as API input."""
    day, end_day = form.get("date", ""), form.get("end_date") or form.get("date", "")
    start_time, end_time, session = form.get("start_time"), form.get("end_time"), form.get("session") or None
    data = {name: form.get(name, "") for name in (
        "title", "kind", "visibility", "status", "location", "online_url", "preparing_unit", "guests",
        "description", "room_id", "chair_id")}
    data.update(all_day="all_day" in form, session=session, allow_conflict="allow_conflict" in form,
                leader_ids=form.getlist("leader_ids"), participant_ids=form.getlist("participant_ids"),
                participant_unit_ids=form.getlist("participant_unit_ids"))
    if data["all_day"]:
        data.update(start=day, end=end_day)
    elif start_time:
        data.update(start=f"{day}T{start_time}", end=f"{end_day}T{end_time}" if end_time else None)
    else:  # only the session is known (sáng / chiều / tối)
        data.update(start=f"{day}T00:00" if day else "", session=session or "morning")
    data["rrule"] = rule_editor.posted_rule(form)
    if form.get("version"):
        data["version"] = form.get("version")
    return data


def input_to_form(data: dict) -> dict:
    """API-shaped values (a duplicate, an entry being edited) as the form's boxes."""
    zone = app_zone()
    form = dict(data)
    for name, box in (("start", "start_time"), ("end", "end_time")):
        value = data.get(name)
        if isinstance(value, str) and len(value) > 10:
            moment = datetime.fromisoformat(value).astimezone(zone)
            form["date" if name == "start" else "end_date"] = moment.date().isoformat()
            form[box] = f"{moment:%H:%M}"
        elif value:
            form["date" if name == "start" else "end_date"] = value
    if data.get("session"):  # a session-only entry shows no clock times
        form.pop("start_time", None)
        form.pop("end_time", None)
    return form


def _posted() -> dict:
    """The posted form for showing it again, lists kept as lists."""
    return request.form.to_dict(flat=True) | {
        name: request.form.getlist(name)
        for name in ("leader_ids", "participant_ids", "participant_unit_ids", "repeat_days")}


def _form_page(form: dict, event: Event | None, errors=None, conflicts=None, status=200, **extra):
    if "repeat_state" not in form:  # drawn from a stored rule (new, edit, stale): not a posted form
        form = form | rule_editor.form_fields(form.get("rrule") or None, form.get("date"), form.get("start_time"))
    units = directory.unit_tree()
    rooms = list(db.session.scalars(directory.search_rooms(active=True)))
    people = list(db.session.scalars(directory.search_users(active=True)))
    return render_template("calendar/form.html", form=form, event=event, errors=errors or {},
                           conflicts=conflicts or [], leaders=leaders(), rooms=rooms, people=people, units=units,
                           kinds=KINDS, sessions=SESSIONS, visibilities=VISIBILITIES,
                           rule_words=rule_editor.words_for_form(form),
                           weekday_choices=rule_editor.weekday_choices(), **extra), status


def _conflict_rows(clashes: list[dict]) -> list[dict]:
    """The conflicts with the other entry's title when this secretary may see it."""
    rows = []
    for clash in clashes:
        other = db.session.get(Event, clash["event_id"])
        rows.append({**clash, "title": other.title if other and can_see_entry(current_user, other) else _("Busy")})
    return rows


def _save(event: Event | None, form: dict):
    try:
        data = form_to_input(request.form)
        if event is None:
            saved, clashes = services.create_event(data, current_user, now_utc())
        else:
            saved, clashes = services.update_event(event.id, data, current_user, now_utc())
    except ValidationFailed as exc:
        return _form_page(form, event, errors=exc.fields, status=422)
    except services.Stale as exc:
        flash(exc.message, "error")
        return _form_page(input_to_form(exc.details["current"]), event, status=409)
    except Conflict as exc:
        return _form_page(form, event, conflicts=_conflict_rows(exc.details.get("conflicts", [])), status=409)
    flash(_("Entry saved."), "success")
    if clashes and saved.status == "draft":  # a warning, not a refusal: publishing the week asks again
        others = dict.fromkeys(row["title"] for row in _conflict_rows([c.as_json(app_zone()) for c in clashes]))
        flash(_("This draft overlaps %(entries)s on a leader or a room; it is marked on the week.",
                entries="; ".join(others)), "warning")
    if request.form.get("then") == "new":  # keyboard flow: next entry, same day and leaders
        return redirect(url_for("calendar.new_event", date=form.get("date"), leader_id=form.get("chair_id") or ""))
    return redirect(url_for("calendar.week", key=week_of(saved.start_at.astimezone(app_zone()).date()).key))


@bp.route("/events/new", methods=["GET", "POST"])
@manager_required
def new_event():
    if request.method == "POST":
        return _save(None, _posted())
    form = {"date": request.args.get("date") or now_utc().astimezone(app_zone()).date().isoformat(),
            "start_time": "08:00", "end_time": "09:00", "visibility": "internal", "kind": "meeting",
            "status": "draft"}
    if request.args.get("leader_id", type=int):
        form.update(leader_ids=[request.args.get("leader_id", type=int)], chair_id=request.args.get("leader_id"))
    if request.args.get("duplicate", type=int):
        try:
            source = services.get_event(request.args.get("duplicate", type=int), current_user)
        except NotFound:
            abort(404)
        form = input_to_form(publishing.entry_input(source))
    return _form_page(form, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_event(event_id: int):
    try:
        event = services.get_event(event_id, current_user)
    except NotFound:
        abort(404)
    if request.method == "POST":
        return _save(event, _posted())
    form = input_to_form(publishing.entry_input(event)) | {"status": event.status, "version": event.version,
                                                          "rrule": event.rrule}
    return _form_page(form, event)


@bp.post("/events/<int:event_id>/cancel")
@manager_required
def cancel_event(event_id: int):
    try:
        services.cancel_event(event_id, request.form.get("reason"), current_user, now_utc(),
                              request.form.get("version", type=int))
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Entry cancelled."), "success")
    return redirect(url_for("calendar.event", event_id=event_id))


@bp.post("/events/<int:event_id>/occurrences/<original>/cancel")
@manager_required
def cancel_occurrence(event_id: int, original: str):
    try:
        series.edit_occurrence(event_id, original, {"cancelled": True}, current_user, now_utc())
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("This occurrence is cancelled."), "success")
    return redirect(url_for("calendar.event", event_id=event_id, at=original) + "#this-occurrence")


@bp.post("/week/<key>/publish")
@manager_required
def publish_week(key: str):
    try:
        schedule = publishing.publish_week(parse_week(key), current_user, now_utc(), "allow_conflict" in request.form)
    except Conflict as exc:
        clashes = exc.details.get("conflicts", [])
        # Both sides of each overlap, for the week table to mark and link; two drafts over each
        # other are two drafts to look at, though the check names only the later one.
        marked = sorted({c["draft_id"] for c in clashes if c.get("draft_id")} | {c["event_id"] for c in clashes})
        drafts = db.session.scalar(select(func.count()).select_from(Event).where(
            Event.id.in_(marked or [0]), Event.status == "draft"))
        flash(_("%(n)d drafts would double-book a leader or a room. Check them, or publish anyway.",
                n=drafts or len(marked)), "error")
        return redirect(url_for("calendar.week", key=key, conflicts=",".join(map(str, marked)) or "0"))
    except NotFound:
        abort(404)
    flash(_("Week published: revision %(n)d.", n=schedule.revision), "success")
    return redirect(url_for("calendar.week", key=key))


@bp.route("/week/<key>/copy", methods=["GET", "POST"])
@manager_required
def copy_week(key: str):
    try:
        week = parse_week(key)
    except NotFound:
        abort(404)
    if request.method == "POST":
        ids = [i for i in map(as_id, request.form.getlist("event_ids")) if i]
        copies = publishing.copy_entries(ids, 7, current_user, now_utc())
        flash(_("%(n)d entries copied as drafts.", n=len(copies)), "success")
        return redirect(url_for("calendar.week", key=key))
    zone = app_zone()
    entries = [(event, habitual, (event.start_at + timedelta(days=7)).astimezone(zone))
               for event, habitual in publishing.habitual_entries(week)]
    return render_template("calendar/copy.html", week=week, entries=entries, last_week=week.shifted(-1))
