"""API routes for the directory. Thin: read input, call a service, return JSON."""
from flask import current_app, g, request
from flask_babel import gettext as _

from meetings.api import bp
from meetings.api.openapi import document
from meetings.directory import services as directory
from meetings.directory.models import ROLES, Room, Unit, User
from meetings.errors import ServiceError, ValidationFailed
from meetings.timeutil import now_utc
from meetings.validation import JsonObject


class UnsupportedMediaType(ServiceError):
    status = 415
    code = "unsupported_media_type"


def json_body() -> dict:
    if not request.is_json:
        raise UnsupportedMediaType(_("Send JSON with Content-Type: application/json."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError(_("The body is not a valid JSON object."))
    return JsonObject(data)


def user_json(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "title": user.title, "role": user.role,
            "unit": user.unit.name if user.unit else None, "unit_id": user.unit_id, "rank": user.rank,
            "active": user.active}


def unit_json(unit: Unit) -> dict:
    return {"id": unit.id, "name": unit.name, "short_name": unit.short_name, "parent_id": unit.parent_id}


def room_json(room: Room) -> dict:
    return {"id": room.id, "name": room.name, "capacity": room.capacity, "location": room.location,
            "online_url": room.online_url, "active": room.active}


def paged(key: str, query, serialise) -> dict:
    per_page = min(max(request.args.get("per_page", 100, type=int) or 100, 1), 500)
    page = directory.paginate(query, request.args.get("page", 1, type=int) or 1, per_page)
    return {key: [serialise(item) for item in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total}


@bp.get("/openapi.json")
def openapi():
    return document(request.host_url.rstrip("/"), current_app.url_map)


@bp.get("/users/me")
def me():
    return user_json(g.api_user)


@bp.get("/users")
def list_users():
    role = request.args.get("role")
    if role is not None and role not in ROLES:
        raise ValidationFailed({"role": _("Must be one of: %(choices)s.", choices=", ".join(ROLES))})
    query = directory.search_users(request.args.get("q"), role, request.args.get("unit_id", type=int),
                                   active=True if request.args.get("all") is None else None)
    return paged("users", query, user_json)


@bp.get("/users/<int:user_id>")
def get_user(user_id: int):
    return user_json(directory.get_user(user_id))


@bp.post("/users")
def create_user():
    return user_json(directory.create_user(json_body(), actor=g.api_user)), 201


@bp.patch("/users/<int:user_id>")
def update_user(user_id: int):
    return user_json(directory.update_user(user_id, json_body(), now_utc(), actor=g.api_user))


@bp.get("/units")
def list_units():
    return {"units": [dict(unit_json(unit), depth=depth) for unit, depth in directory.unit_tree()]}


@bp.post("/units")
def create_unit():
    return unit_json(directory.create_unit(json_body(), actor=g.api_user)), 201


@bp.get("/rooms")
def list_rooms():
    return paged("rooms", directory.search_rooms(request.args.get("q"), active=True), room_json)


@bp.post("/rooms")
def create_room():
    return room_json(directory.create_room(json_body(), actor=g.api_user)), 201


@bp.patch("/rooms/<int:room_id>")
def update_room(room_id: int):
    return room_json(directory.update_room(room_id, json_body(), actor=g.api_user))
