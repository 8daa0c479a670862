"""Users, units and rooms: creation, edits and searches as plain functions.

`actor` is the signed-in user making the change, or None for the CLI and demo loader (trusted).
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from meetings.auth.permissions import can_assign_role, can_edit_user, can_manage_directory, can_set_password
from meetings.directory.models import ROLES, Room, Unit, User
from meetings.errors import Conflict, Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.text import fold_vietnamese
from meetings.validation import Fields


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(query: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total)


def _check_manager(actor: User | None) -> None:
    if actor is not None and not can_manage_directory(actor):
        raise Forbidden(_("You may not manage the directory."))


def _folded_like(column, q: str):
    return column.like(f"%{fold_vietnamese(q)}%")


# Users -------------------------------------------------------------------------------------------

def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def _read_user(data: dict, creating: bool, fields: Fields) -> dict:
    values = {}
    if creating or fields.present("email"):
        values["email"] = fields.email("email", required=True)
    if creating or fields.present("name"):
        values["name"] = fields.string("name", required=True)
    if creating or fields.present("role"):
        values["role"] = fields.choice("role", ROLES, default="member")
    for name, max_length in (("title", 200),):
        if fields.present(name):
            values[name] = fields.string(name, max_length=max_length)
    if fields.present("unit_id"):
        values["unit_id"] = fields.integer("unit_id")
        if values["unit_id"] is not None and db.session.get(Unit, values["unit_id"]) is None:
            fields.fail("unit_id", _("No such unit."))
    if fields.present("rank"):
        values["rank"] = fields.integer("rank", minimum=0, maximum=10000, default=100)
    if fields.present("active"):
        values["active"] = fields.boolean("active", default=True)
    return values


def create_user(data: dict, actor: User | None = None) -> User:
    from meetings.auth.services import check_password_strength, hash_password, new_session_token

    _check_manager(actor)
    fields = Fields(data)
    values = _read_user(data, True, fields)
    password = data.get("password")
    if password:
        try:
            check_password_strength(password)
        except ValidationFailed as exc:
            fields.errors.update(exc.fields)
    if values.get("email") and user_by_email(values["email"]):
        fields.fail("email", _("A user with this e-mail already exists."))
    fields.raise_if_errors()
    if actor is not None and not can_assign_role(actor, values["role"]):
        raise Forbidden(_("Only an administrator may create an administrator."))
    user = User(**values, name_folded=fold_vietnamese(values["name"]), session_token=new_session_token(),
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.commit()
    return user


def update_user(user_id: int, data: dict, now: datetime, actor: User | None = None) -> User:
    from meetings.auth.services import check_password_strength, hash_password, revoke_everything

    _check_manager(actor)
    user = get_user(user_id)
    if actor is not None and not can_edit_user(actor, user):
        raise Forbidden(_("Only an administrator may edit an administrator."))
    if actor is not None and data.get("password") and not can_set_password(actor, user):
        raise Forbidden(_("Only an administrator may set a password. Everyone changes their own on "
                          "their profile page."))
    fields = Fields(data)
    values = _read_user(data, False, fields)
    if values.get("email") and values["email"] != user.email and user_by_email(values["email"]):
        fields.fail("email", _("A user with this e-mail already exists."))
    if data.get("password"):
        try:
            check_password_strength(data["password"])
        except ValidationFailed as exc:
            fields.errors.update(exc.fields)
    fields.raise_if_errors()
    if actor is not None and "role" in values and not can_assign_role(actor, values["role"]):
        raise Forbidden(_("Only an administrator may create an administrator."))
    if actor is not None and actor.id == user.id and values.get("active") is False:
        raise ValidationFailed({"active": _("You cannot deactivate your own account.")})
    for key, value in values.items():
        setattr(user, key, value)
    user.name_folded = fold_vietnamese(user.name)
    if data.get("password"):
        user.password_hash = hash_password(data["password"])
    if data.get("password") or values.get("active") is False:
        revoke_everything(user, now)  # signed out at once, and their API tokens with the sessions
    db.session.commit()
    return user


def search_users(q: str | None = None, role: str | None = None, unit_id: int | None = None,
                 active: bool | None = None) -> Select:
    query = select(User)
    if q:
        query = query.where(or_(_folded_like(User.name_folded, q), User.email.like(f"%{q.strip().lower()}%")))
    if role:
        query = query.where(User.role == role)
    if unit_id:
        query = query.where(User.unit_id == unit_id)
    if active is not None:
        query = query.where(User.active == active)
    # Leaders by rank (minister first), everyone else by name.
    return query.order_by(User.rank, User.name_folded, User.id)


# Units -------------------------------------------------------------------------------------------

def get_unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(_("No such unit."))
    return unit


def unit_by_name(name: str, create: bool = False) -> Unit:
    """The unit with this name; created at the top level when new and `create` is set."""
    matches = list(db.session.scalars(select(Unit).where(Unit.name_folded == fold_vietnamese(name))))
    if len(matches) > 1:
        raise ValidationFailed({"unit": _("Several units have this name; choose one by id.")})
    if matches:
        return matches[0]
    if not create:
        raise NotFound(_("No such unit."))
    return create_unit({"name": name})


def _would_cycle(unit_id: int, parent_id: int | None) -> bool:
    while parent_id is not None:
        if parent_id == unit_id:
            return True
        parent_id = db.session.scalar(select(Unit.parent_id).where(Unit.id == parent_id))
    return False


def _read_unit(fields: Fields, creating: bool) -> dict:
    values = {}
    if creating or fields.present("name"):
        values["name"] = fields.string("name", required=True)
    if fields.present("short_name"):
        values["short_name"] = fields.string("short_name", max_length=50)
    if fields.present("place"):
        values["place"] = fields.string("place", max_length=100)
    if fields.present("parent_id"):
        values["parent_id"] = fields.integer("parent_id")
        if values["parent_id"] is not None and db.session.get(Unit, values["parent_id"]) is None:
            fields.fail("parent_id", _("No such unit."))
    if fields.present("position"):
        values["position"] = fields.integer("position", minimum=0, default=0)
    return values


def _check_unit_name_free(name: str, parent_id: int | None, unit_id: int | None, fields: Fields) -> None:
    query = select(Unit.id).where(Unit.name_folded == fold_vietnamese(name), Unit.parent_id.is_(parent_id)
                                  if parent_id is None else Unit.parent_id == parent_id)
    existing = db.session.scalar(query)
    if existing is not None and existing != unit_id:
        fields.fail("name", _("A unit with this name already exists here."))


def create_unit(data: dict, actor: User | None = None) -> Unit:
    _check_manager(actor)
    fields = Fields(data)
    values = _read_unit(fields, True)
    if values.get("name"):
        _check_unit_name_free(values["name"], values.get("parent_id"), None, fields)
    fields.raise_if_errors()
    unit = Unit(**values, name_folded=fold_vietnamese(values["name"]))
    db.session.add(unit)
    db.session.commit()
    return unit


def update_unit(unit_id: int, data: dict, actor: User | None = None) -> Unit:
    _check_manager(actor)
    unit = get_unit(unit_id)
    fields = Fields(data)
    values = _read_unit(fields, False)
    if "parent_id" in values and _would_cycle(unit.id, values["parent_id"]):
        fields.fail("parent_id", _("A unit cannot be placed under itself."))
    name = values.get("name", unit.name)
    parent_id = values.get("parent_id", unit.parent_id)
    if name:
        _check_unit_name_free(name, parent_id, unit.id, fields)
    fields.raise_if_errors()
    for key, value in values.items():
        setattr(unit, key, value)
    unit.name_folded = fold_vietnamese(unit.name)
    db.session.commit()
    return unit


def delete_unit(unit_id: int, actor: User | None = None) -> None:
    _check_manager(actor)
    unit = get_unit(unit_id)
    if unit.children:
        raise Conflict(_("This unit has sub-units; move or delete them first."))
    members = db.session.scalar(select(func.count()).select_from(User).where(User.unit_id == unit.id))
    if members:
        raise Conflict(_("%(n)d people belong to this unit; move them first.", n=members))
    db.session.delete(unit)
    db.session.commit()


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit with its depth, in tree order, from one query."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.position, Unit.name_folded)))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def organisation_name() -> str | None:
    """The name shown in headers: the first root of the unit tree (the ministry)."""
    return db.session.scalar(
        select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.position, Unit.id).limit(1))


def place_of(unit: Unit | None) -> str | None:
    """The place (địa danh) printed on a unit's documents: its own, else the nearest ancestor's."""
    while unit is not None:
        if unit.place:
            return unit.place
        unit = unit.parent
    return None


# Rooms -------------------------------------------------------------------------------------------

def get_room(room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    return room


def _read_room(fields: Fields, creating: bool) -> dict:
    values = {}
    if creating or fields.present("name"):
        values["name"] = fields.string("name", required=True)
    if fields.present("capacity"):
        values["capacity"] = fields.integer("capacity", minimum=1, maximum=100000)
    if fields.present("location"):
        values["location"] = fields.string("location")
    if fields.present("online_url"):
        values["online_url"] = fields.url("online_url")
    if fields.present("active"):
        values["active"] = fields.boolean("active", default=True)
    return values


def _check_room_name_free(name: str, room_id: int | None, fields: Fields) -> None:
    existing = db.session.scalar(select(Room.id).where(Room.name_folded == fold_vietnamese(name)))
    if existing is not None and existing != room_id:
        fields.fail("name", _("A room with this name already exists."))


def create_room(data: dict, actor: User | None = None) -> Room:
    _check_manager(actor)
    fields = Fields(data)
    values = _read_room(fields, True)
    if values.get("name"):
        _check_room_name_free(values["name"], None, fields)
    fields.raise_if_errors()
    room = Room(**values, name_folded=fold_vietnamese(values["name"]))
    db.session.add(room)
    db.session.commit()
    return room


def update_room(room_id: int, data: dict, actor: User | None = None) -> Room:
    _check_manager(actor)
    room = get_room(room_id)
    fields = Fields(data)
    values = _read_room(fields, False)
    if values.get("name"):
        _check_room_name_free(values["name"], room.id, fields)
    fields.raise_if_errors()
    for key, value in values.items():
        setattr(room, key, value)
    room.name_folded = fold_vietnamese(room.name)
    db.session.commit()
    return room


def search_rooms(q: str | None = None, active: bool | None = None) -> Select:
    query = select(Room)
    if q:
        query = query.where(_folded_like(Room.name_folded, q))
    if active is not None:
        query = query.where(Room.active == active)
    return query.order_by(Room.name_folded)
