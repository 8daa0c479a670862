"""Admin pages for users, units and rooms (admins and secretaries; everyone else gets 403)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.auth.decorators import allowed_only
from meetings.auth.permissions import can_edit_user, can_manage_directory, can_set_password
from meetings.directory import bp, services
from meetings.directory.models import ROLES
from meetings.errors import ServiceError, ValidationFailed
from meetings.timeutil import now_utc


manager_required = allowed_only(can_manage_directory)


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def _form(*checkboxes: str) -> dict:
    """The posted form as a dict; unchecked boxes are absent from a form, so name them here."""
    data = {key: value for key, value in request.form.items() if key != "csrf_token"}
    for name in checkboxes:
        data[name] = name in request.form
    return data


@bp.get("/")
@manager_required
def index():
    return redirect(url_for("directory.users"))


@bp.get("/users")
@manager_required
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role") or None
    page = services.paginate(services.search_users(q, role if role in ROLES else None),
                             _page_number(), current_app.config["PAGE_SIZE"])
    return render_template("directory/users.html", page=page, q=q, role=role, roles=ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@manager_required
def new_user():
    errors, data = {}, {"role": "member", "active": True}
    if request.method == "POST":
        data = _form("active")
        try:
            user = services.create_user(data, actor=current_user)
        except ValidationFailed as exc:
            errors = exc.fields
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("directory.users", q=user.email))
    return render_template("directory/user_form.html", user=None, data=data, errors=errors, roles=ROLES,
                           units=services.unit_tree(), may_set_password=True), 422 if errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@manager_required
def edit_user(user_id: int):
    try:
        user = services.get_user(user_id)
    except ServiceError:
        abort(404)
    if not can_edit_user(current_user, user):
        abort(403)
    errors = {}
    data = {"email": user.email, "name": user.name, "title": user.title, "role": user.role,
            "unit_id": user.unit_id, "rank": user.rank, "active": user.active}
    if request.method == "POST":
        data = _form("active")
        try:
            services.update_user(user_id, data, now_utc(), actor=current_user)
        except ValidationFailed as exc:
            errors = exc.fields
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("directory.users", q=user.email))
    return render_template("directory/user_form.html", user=user, data=data, errors=errors, roles=ROLES,
                           units=services.unit_tree(), may_set_password=can_set_password(current_user, user)), \
        422 if errors else 200


@bp.get("/units")
@manager_required
def units():
    return render_template("directory/units.html", tree=services.unit_tree(), errors={}, data={})


@bp.post("/units")
@manager_required
def create_unit():
    data = _form()
    try:
        unit = services.create_unit(data, actor=current_user)
    except ValidationFailed as exc:
        return render_template("directory/units.html", tree=services.unit_tree(), errors=exc.fields,
                               data=data), 422
    flash(_("Unit %(name)s created.", name=unit.name), "success")
    return redirect(url_for("directory.units"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@manager_required
def edit_unit(unit_id: int):
    try:
        unit = services.get_unit(unit_id)
    except ServiceError:
        abort(404)
    errors = {}
    data = {"name": unit.name, "short_name": unit.short_name, "place": unit.place, "parent_id": unit.parent_id,
            "position": unit.position}
    if request.method == "POST":
        data = _form()
        try:
            services.update_unit(unit_id, data, actor=current_user)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("directory.units"))
    return render_template("directory/unit_form.html", unit=unit, data=data, errors=errors,
                           tree=services.unit_tree()), 422 if errors else 200


@bp.post("/units/<int:unit_id>/delete")
@manager_required
def delete_unit(unit_id: int):
    try:
        services.delete_unit(unit_id, actor=current_user)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Unit deleted."), "success")
    return redirect(url_for("directory.units"))


@bp.get("/rooms")
@manager_required
def rooms():
    q = request.args.get("q", "").strip()
    page = services.paginate(services.search_rooms(q), _page_number(), current_app.config["PAGE_SIZE"])
    return render_template("directory/rooms.html", page=page, q=q)


@bp.route("/rooms/new", methods=["GET", "POST"])
@bp.route("/rooms/<int:room_id>", methods=["GET", "POST"])
@manager_required
def edit_room(room_id: int | None = None):
    room = None
    if room_id is not None:
        try:
            room = services.get_room(room_id)
        except ServiceError:
            abort(404)
    errors = {}
    data = ({"name": room.name, "capacity": room.capacity, "location": room.location,
             "online_url": room.online_url, "active": room.active} if room else {"active": True})
    if request.method == "POST":
        data = _form("active")
        try:
            if room:
                services.update_room(room.id, data, actor=current_user)
            else:
                room = services.create_room(data, actor=current_user)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash(_("Room %(name)s saved.", name=room.name), "success")
            return redirect(url_for("directory.rooms"))
    return render_template("directory/room_form.html", room=room, data=data, errors=errors), \
        422 if errors else 200


@bp.context_processor
def form_helpers():
    def unit_options(tree, exclude=None):
        # Indented names show the tree inside a plain <select>.
        return [(unit.id, "\u00a0\u00a0" * depth + unit.name) for unit, depth in tree if unit.id != exclude]

    def role_options(roles):
        return [(role, role_labels()[role]) for role in roles]

    return {"unit_options": unit_options, "role_options": role_options, "role_labels": role_labels()}


def role_labels() -> dict[str, str]:
    return {"admin": _("Administrator"), "secretary": _("Secretary"), "leader": _("Leader"),
            "member": _("Member")}
