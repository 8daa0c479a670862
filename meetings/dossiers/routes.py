"""Meeting pages: my meetings, set-up, the meeting page (participants read, secretaries manage), search.

Forms post here and work without JavaScript; dossiers.js adds multi-file upload with progress and
drag-to-reorder on top, through the JSON API.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetings.directory import services as directory
from meetings.directory.models import Room
from meetings.dossiers import agenda, bp, conversion, labels, reading, rsvp, services  # noqa: F401  (labels: the filter)
from meetings.dossiers.access import can_create_meeting, can_download_document, can_manage_meeting, can_see_meeting
from meetings.dossiers.models import ATTENDANCE, ITEM_STATUSES, ROLES, Meeting
from meetings.dossiers.setup_form import meeting_input
from meetings.errors import NotFound, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.timeutil import app_zone, now_utc
from meetings.validation import as_id
from meetings.web import set_nav_endpoint

set_nav_endpoint("meetings", "dossiers.index")


def _visible_meeting(meeting_id: int):
    try:
        return services.get_meeting(meeting_id, current_user)
    except NotFound:
        abort(404)


def _back(meeting_id: int, anchor: str = ""):
    return redirect(url_for("dossiers.meeting", meeting_id=meeting_id) + (f"#{anchor}" if anchor else ""))


def _flash_error(exc: ServiceError) -> None:
    fields = getattr(exc, "fields", None) or {}
    flash("; ".join(fields.values()) if fields else exc.message, "error")


def _act(meeting_id: int, anchor: str, action, done: str):
    """Run a service for a form post: what the user can mend is a message on the meeting page; a
    refusal is the 403 or 404 page, as for a link (one rule for all: meetings.web.flashed_errors).
    `done` may be a function of the service's result, for a message that says what happened."""
    try:
        result = action()
        flash(done(result) if callable(done) else done, "success")
    except ServiceError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            abort(exc.status)
        _flash_error(exc)
    return _back(meeting_id, anchor)


@bp.get("/")
@login_required
def index():
    return render_template("dossiers/index.html", meetings=services.my_meetings(current_user),
                           can_create=can_create_meeting(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_meeting(current_user):
        abort(403)
    errors, form = {}, request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            meeting = services.create_meeting(meeting_input(request.form), current_user, now_utc())
            flash(_("Meeting created. Now add the agenda, participants and documents."), "success")
            return _back(meeting.id)
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.fields
        except ServiceError as exc:
            db.session.rollback()
            errors = {"title": exc.message}
    today = now_utc().astimezone(app_zone()).date().isoformat()
    leader_options = [(u.id, u.display_name) for u in db.session.scalars(directory.search_users(role="leader",
                                                                                                active=True))]
    return render_template("dossiers/new.html", form=form, errors=errors, today=today, leader_options=leader_options,
                           chosen_leaders=[int(v) for v in form.getlist("leader_ids") if v.isdigit()] if form else [],
                           room_options=[(r.id, r.name) for r in db.session.scalars(directory.search_rooms(active=True))],
                           template_options=[(t.id, t.name) for t in services.templates()],
                           past_options=[(m.id, f"{m.event.title} ({m.event.start_at.astimezone(app_zone()):%d/%m/%Y})")
                                         for m in services.my_meetings(current_user)],
                           copy_from=request.args.get("copy_from", type=int)), 422 if errors else 200


@bp.app_context_processor
def _entry_meeting():
    """The calendar's entry page asks here whether an entry is a meeting (it does not know meetings)."""
    def visible_meeting(event_id: int):
        meeting = db.session.get(Meeting, event_id)
        return meeting if meeting is not None and can_see_meeting(current_user, meeting) else None

    return {"meeting_of_entry": visible_meeting,
            "can_create_meeting": can_create_meeting}


@bp.post("/from-entry/<int:event_id>")
@login_required
def from_entry(event_id: int):
    try:
        meeting = conversion.meeting_from_entry(event_id, current_user, now_utc())
    except ServiceError as exc:  # a refusal is the 403/404 page; what can be mended, a message on the entry
        db.session.rollback()
        if exc.status in (403, 404):
            abort(exc.status)
        _flash_error(exc)
        return redirect(url_for("calendar.event", event_id=event_id))
    flash(_("The entry is now a meeting. Add its agenda, participants and documents."), "success")
    return _back(meeting.id)


@bp.get("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    manager = can_manage_meeting(current_user, meeting)
    context = {"meeting": meeting, "event": meeting.event, "manager": manager, "items": agenda.ordered(meeting),
               "numbers": agenda.numbering(meeting), "state": reading.reading_state(meeting, current_user),
               "documents": [d for d in meeting.documents if reading.can_see_document(current_user, d)],
               "can_download": lambda d: can_download_document(current_user, d),
               "roles": ROLES, "attendance": ATTENDANCE, "item_statuses": ITEM_STATUSES}
    context.update(rsvp.page_context(meeting, current_user))
    if manager:
        taken = {p.user_id for p in meeting.participants}
        everyone = db.session.scalars(directory.search_users(active=True)).all()
        # The picker leaves out who is already in; the presenter list offers participants first.
        context.update(unread=reading.not_opened(meeting), units=[u for u, _depth in directory.unit_tree()],
                       people=[u for u in everyone if u.id not in taken])
    return render_template("dossiers/meeting.html", **context)


@bp.post("/<int:meeting_id>/status")
@login_required
def set_status(meeting_id: int):
    # The step buttons send a status only; the confidentiality form says so (an unticked box sends nothing).
    data = {"status": request.form["status"]} if request.form.get("status") else {}
    if "confidentiality" in request.form:
        data["confidential"] = "confidential" in request.form
    done = {"published": _("The meeting is published."), "in_progress": _("The meeting has started."),
            "ended": _("The meeting has ended.")}.get(data.get("status"), _("Meeting updated."))
    return _act(meeting_id, "", lambda: services.set_status(meeting_id, data, current_user, now_utc()), done)


@bp.post("/<int:meeting_id>/template")
@login_required
def save_template(meeting_id: int):
    return _act(meeting_id, "", lambda: services.save_template(meeting_id, request.form.get("name"), current_user),
                _("Saved as a template."))


@bp.post("/<int:meeting_id>/agenda")
@login_required
def add_item(meeting_id: int):
    data = {k: v for k, v in request.form.items() if k in ("title", "duration_minutes", "presenter_id",
                                                           "presenter_unit_id", "parent_id") and v != ""}
    return _act(meeting_id, "agenda", lambda: agenda.add_item(meeting_id, data, current_user, now_utc()),
                _("Agenda item added."))


@bp.post("/<int:meeting_id>/agenda/<int:item_id>")
@login_required
def change_item(meeting_id: int, item_id: int):
    if "delete" in request.form:
        action = lambda: agenda.delete_item(meeting_id, item_id, current_user, now_utc())  # noqa: E731
    elif "move" in request.form:
        action = lambda: _move(meeting_id, item_id, request.form["move"])  # noqa: E731
    else:
        data = {k: v for k, v in request.form.items() if k in ("status", "title", "duration_minutes")}
        action = lambda: agenda.update_item(meeting_id, item_id, data, current_user, now_utc())  # noqa: E731
    return _act(meeting_id, "agenda", action, _("Agenda updated."))


def _move(meeting_id: int, item_id: int, direction: str) -> None:
    """The keyboard's (and no-JavaScript) way to reorder: one step up or down among siblings."""
    meeting = services.get_meeting(meeting_id, current_user)
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(_("No such agenda item in this meeting."))
    top = [i for i in agenda.ordered(meeting) if i.parent_id is None]
    siblings = [i for i in agenda.ordered(meeting) if i.parent_id == item.parent_id]
    index = siblings.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    if item.parent_id is None:
        ids = [i.id for i in siblings]
    else:  # sub-items: send the whole list with this parent's children in their new order
        ids = []
        for parent in top:
            ids.append(parent.id)
            ids += [c.id for c in (siblings if parent.id == item.parent_id else
                                   [i for i in agenda.ordered(meeting) if i.parent_id == parent.id])]
    agenda.reorder(meeting_id, {"item_ids": ids, "version": meeting.version}, current_user, now_utc())


@bp.post("/<int:meeting_id>/participants")
@login_required
def add_participants(meeting_id: int):
    data = {"role": request.form.get("role") or "member",
            "user_ids": [i for i in map(as_id, request.form.getlist("user_ids")) if i],
            "unit_ids": [i for i in map(as_id, request.form.getlist("unit_ids")) if i]}
    return _act(meeting_id, "participants",
                lambda: services.add_participants(meeting_id, data, current_user, now_utc()), _("Participants added."))


@bp.post("/<int:meeting_id>/participants/<int:user_id>")
@login_required
def change_participant(meeting_id: int, user_id: int):
    if "remove" in request.form:
        action = lambda: services.remove_participant(meeting_id, user_id, current_user, now_utc())  # noqa: E731
    else:
        data = {k: v for k, v in request.form.items() if k in ("role", "attendance")}
        action = lambda: services.update_participant(meeting_id, user_id, data, current_user, now_utc())  # noqa: E731
    return _act(meeting_id, "participants", action, _("Participants updated."))


@bp.get("/search")
@login_required
def search():
    q = request.args.get("q", "")
    meeting_id = request.args.get("meeting_id", type=int)
    try:
        hits = reading.search(current_user, q, meeting_id)
    except NotFound:
        abort(404)
    return render_template("dossiers/search.html", q=q, hits=hits, meeting_id=meeting_id)


@bp.get("/rooms/<int:room_id>/link")
@login_required
def room_link(room_id: int):
    """The room's default online link, for the set-up form's convenience."""
    room = db.session.get(Room, room_id) or abort(404)
    return {"online_url": room.online_url}
