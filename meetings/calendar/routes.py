"""Calendar pages for reading: the week table, a leader's week on a tablet, rooms, my schedule,
the public page, the printed week, search and the changes since a revision."""
import hashlib
from datetime import date, datetime, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_login import current_user, login_required

from meetings import downloads
from meetings.calendar import bp, labels, printing, publishing, queries, seen, series
from meetings.calendar.access import can_manage_calendar, can_print_week, can_see_entry
from meetings.calendar.layout import arrange, next_entry
from meetings.calendar.present import views
from meetings.calendar.services import get_event
from meetings.calendar.weeks import Week, parse_week, schedule_for, week_of
from meetings.directory import services as directory
from meetings.directory.models import Room
from meetings.errors import NotFound
from meetings.extensions import db
from meetings.feeds.selection import generation
from meetings.timeutil import app_zone, in_range, now_utc
from meetings.web import set_nav_endpoint

set_nav_endpoint("calendar", "calendar.week")


@bp.app_template_filter("local_date")
def local_date(moment: datetime) -> date:
    """The reader's calendar day of a stored UTC moment (then `|day` writes it out)."""
    return moment.astimezone(get_timezone()).date()


def _today() -> date:
    return now_utc().astimezone(app_zone()).date()


def _week(key: str | None) -> Week:
    try:
        return parse_week(key) if key else week_of(_today())
    except NotFound:
        abort(404)


def _picked_week(endpoint: str, **values):
    """The date picker posts ?date=YYYY-MM-DD: go to that date's week."""
    try:
        picked = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return None
    if in_range(picked) is None:
        return None
    return redirect(url_for(endpoint, key=week_of(picked).key, **values))


def _week_context(week: Week) -> dict:
    return {"week": week, "schedule": schedule_for(week), "prev_week": week.shifted(-1),
            "next_week": week.shifted(1), "this_week": week_of(_today()), "today": _today(),
            "can_manage": can_manage_calendar(current_user)}


def schedule_stamp() -> str:
    """Changes whenever any entry, person, room or unit changes, or the day turns (feeds' generation).
    A page drawn at one stamp that finds another when its live connection (re)opens missed a push.
    Pages take it before reading their entries: a change in between costs a needless reload, never a
    missed one."""
    return hashlib.sha256(repr(generation(now_utc())).encode()).hexdigest()[:16]


@bp.get("/stamp")
@login_required
def stamp():
    return {"stamp": schedule_stamp()}


def leaders() -> list:
    return list(db.session.scalars(directory.search_users(role="leader", active=True)))


@bp.get("/")
@login_required
def index():
    return redirect(url_for("calendar.week"))


@bp.get("/week")
@bp.get("/week/<key>")
@login_required
def week(key: str | None = None):
    leader_id = request.args.get("leader_id", type=int)
    if "date" in request.args:
        return _picked_week("calendar.week", **({"leader_id": leader_id} if leader_id else {})) or abort(404)
    week, stamp = _week(key), schedule_stamp()
    entries = views(queries.occurrences(*week.bounds(app_zone()), leader_id=leader_id), current_user)
    return render_template("calendar/week.html", days=arrange(entries, week.days, _today()), leaders=leaders(),
                           leader_id=leader_id, stamp=stamp, overlaps=_overlaps(entries), **_week_context(week))


def _overlaps(entries) -> list:
    """Rows to mark for the secretary: drafts flagged when saved, and both sides of each overlap
    a refused publication named (`?conflicts=12,15`). One row per entry, in the table's order."""
    if not can_manage_calendar(current_user):
        return []
    named = {int(i) for i in request.args.get("conflicts", "").split(",") if i.strip().isdigit()}
    found = {}
    for entry in entries:
        if not entry.busy and (entry.event_id in named or entry.has_conflict and entry.status == "draft"):
            found.setdefault(entry.event_id, entry)
    return list(found.values())


@bp.get("/week/<key>.pdf")
def week_pdf(key: str):
    """The printed week, for a signed-in browser or an API token (for scripts and the portal)."""
    from meetings.api.auth import bearer_token
    from meetings.auth.services import user_for_token

    token = bearer_token()
    user = user_for_token(token, now_utc()) if token else current_user
    if not can_print_week(user):
        abort(401)
    week = _week(key)
    entries = views(queries.occurrences(*week.bounds(app_zone())), user)
    pdf = printing.week_pdf(week, schedule_for(week), arrange(entries, week.days, None))
    return pdf, 200, {"Content-Type": "application/pdf", **downloads.headers(f"lich-cong-tac-{week.key}.pdf", inline=True)}


@bp.get("/leader/<int:leader_id>")
@bp.get("/leader/<int:leader_id>/week/<key>")
@login_required
def leader(leader_id: int, key: str | None = None):
    if "date" in request.args:
        return _picked_week("calendar.leader", leader_id=leader_id) or abort(404)
    try:
        person = directory.get_user(leader_id)
    except NotFound:
        abort(404)
    week, now, stamp = _week(key), now_utc(), schedule_stamp()
    entries = views(queries.occurrences(*week.bounds(app_zone()), leader_id=leader_id), current_user)
    last_seen = seen.look(current_user.id, leader_id, now, record=request.args.get("refresh") != "live")
    changed = {(e.event_id, e.start) for e in entries if last_seen and e.changed_at and e.changed_at > last_seen}
    return render_template("calendar/leader.html", person=person, days=arrange(entries, week.days, _today()),
                           upcoming=next_entry(entries, now), changed=changed, leaders=leaders(), stamp=stamp,
                           **_week_context(week))


@bp.get("/rooms")
@bp.get("/rooms/week/<key>")
@login_required
def rooms(key: str | None = None):
    if "date" in request.args:
        return _picked_week("calendar.rooms") or abort(404)
    week = _week(key)
    entries = [e for e in views(queries.occurrences(*week.bounds(app_zone())), current_user) if e.room_id]
    all_rooms = list(db.session.scalars(directory.search_rooms(active=True)))
    grid = {room.id: arrange([e for e in entries if e.room_id == room.id], week.days, _today())
            for room in all_rooms}
    return render_template("calendar/rooms.html", rooms=all_rooms, grid=grid, **_week_context(week))


@bp.get("/mine")
@bp.get("/mine/week/<key>")
@login_required
def mine(key: str | None = None):
    if "date" in request.args:
        return _picked_week("calendar.mine") or abort(404)
    week = _week(key)
    entries = views(queries.occurrences(*week.bounds(app_zone()), person=current_user), current_user)
    return render_template("calendar/mine.html", days=arrange(entries, week.days, _today()),
                           upcoming=next_entry(entries, now_utc()), **_week_context(week))


@bp.get("/public")
def public():
    """This week and next: published public entries only, whoever asks (the portal's view)."""
    this = week_of(_today())
    weeks = []
    for week in (this, this.shifted(1)):
        entries = views(queries.occurrences(*week.bounds(app_zone()), statuses=("published", "cancelled")), None)
        weeks.append((week, schedule_for(week), arrange(entries, week.days, _today())))
    return render_template("calendar/public.html", weeks=weeks, today=_today())


@bp.get("/search")
@login_required
def search():
    q = request.args.get("q", "").strip()
    filters = {name: request.args.get(name, type=int) for name in ("leader_id", "room_id", "unit_id")}
    first, last = _date_arg("from", _today() - timedelta(days=365)), _date_arg("to", _today() + timedelta(days=365))
    results = []
    if q or any(filters.values()):
        zone = app_zone()
        found = queries.occurrences(datetime.combine(first, datetime.min.time(), zone),
                                    datetime.combine(last + timedelta(days=1), datetime.min.time(), zone),
                                    q=q or None, **filters)
        results = views(found, current_user, content_only=True)[:200]
    return render_template("calendar/search.html", q=q, results=results, filters=filters, first=first, last=last,
                           leaders=leaders(), rooms=list(db.session.scalars(directory.search_rooms(active=True))),
                           units=directory.unit_tree())


def _date_arg(name: str, default: date) -> date:
    try:
        return in_range(date.fromisoformat(request.args.get(name, ""))) or default
    except ValueError:
        return default


@bp.get("/week/<key>/changes")
@login_required
def changes(key: str):
    week = _week(key)
    since = request.args.get("since", 0, type=int)
    revisions = [(r, [(e, labels.for_reader(rows, current_user)) for e, rows in entries
                      if can_see_entry(current_user, e)])
                 for r, entries in publishing.changes_since(week, since)]
    return render_template("calendar/changes.html", revisions=revisions, since=since, **_week_context(week))


@bp.get("/events/<int:event_id>")
@login_required
def event(event_id: int):
    try:
        entry = get_event(event_id, current_user)
    except NotFound:
        abort(404)
    zone = app_zone()
    upcoming = []
    if entry.rrule:
        from meetings.calendar.recurrence import expand

        upcoming = expand(entry, now_utc() - timedelta(days=1), now_utc() + timedelta(days=120), zone)[:30]
    # ?at= names one occurrence (from the week table); a "+" offset typed into an address reads as a space.
    return render_template("calendar/event.html", event=entry, words=labels.words(),
                           history=labels.for_reader(publishing.event_history(event_id), current_user),
                           upcoming=upcoming, can_manage=can_manage_calendar(current_user),
                           current=series.find_occurrence(entry, request.args.get("at", "").replace(" ", "+")) if entry.rrule else None,
                           room=db.session.get(Room, entry.room_id) if entry.room_id else None)
