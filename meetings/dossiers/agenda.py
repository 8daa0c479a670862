"""The agenda (chương trình họp): items with sub-items one level deep, presenter, minutes, status, order."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.directory.models import Unit, User
from meetings.dossiers.models import ITEM_STATUSES, AgendaItem, Meeting
from meetings.dossiers.services import changed, check_version, managed_meeting
from meetings.errors import NotFound, ValidationFailed
from meetings.extensions import db
from meetings.validation import Fields


def ordered(meeting: Meeting) -> list[AgendaItem]:
    """Top-level items by position, each followed by its sub-items by position."""
    top = sorted((i for i in meeting.agenda if i.parent_id is None), key=lambda i: (i.position, i.id))
    result = []
    for item in top:
        result.append(item)
        result += sorted((c for c in meeting.agenda if c.parent_id == item.id), key=lambda i: (i.position, i.id))
    return result


def numbering(meeting: Meeting) -> dict[int, str]:
    """"1", "2", "2.1": how the items are numbered on paper and on screen."""
    labels, top, sub = {}, 0, 0
    for item in ordered(meeting):
        if item.parent_id is None:
            top, sub = top + 1, 0
            labels[item.id] = str(top)
        else:
            sub += 1
            labels[item.id] = f"{top}.{sub}"
    return labels


def _item(meeting: Meeting, item_id) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(_("No such agenda item in this meeting."))
    return item


def _read(meeting: Meeting, data: dict, creating: bool, item: AgendaItem | None = None) -> dict:
    fields, values = Fields(data), {}
    if creating or fields.present("title"):
        values["title"] = fields.string("title", required=True, max_length=500)
    if fields.present("duration_minutes"):
        values["duration_minutes"] = fields.integer("duration_minutes", minimum=0, maximum=24 * 60)
    if fields.present("presenter_id"):
        values["presenter_id"] = fields.integer("presenter_id")
        user = db.session.get(User, values["presenter_id"]) if values["presenter_id"] else None
        if values["presenter_id"] and (user is None or not user.active):
            fields.fail("presenter_id", _("No such person."))
    if fields.present("presenter_unit_id"):
        values["presenter_unit_id"] = fields.integer("presenter_unit_id")
        if values["presenter_unit_id"] and db.session.get(Unit, values["presenter_unit_id"]) is None:
            fields.fail("presenter_unit_id", _("No such unit."))
    if fields.present("status"):
        values["status"] = fields.choice("status", ITEM_STATUSES, required=True)
    if fields.present("parent_id"):
        values["parent_id"] = fields.integer("parent_id")
        parent = next((i for i in meeting.agenda if i.id == values["parent_id"]), None)
        if values["parent_id"] and (parent is None or parent.parent_id is not None or parent is item
                                    or (item is not None and any(c.parent_id == item.id for c in meeting.agenda))):
            fields.fail("parent_id", _("Sub-items go one level deep, under an item of this meeting."))
    fields.raise_if_errors()
    return values


def _apply(meeting: Meeting, item: AgendaItem, values: dict) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    if values.get("status") == "current":
        for other in meeting.agenda:  # one item is discussed at a time; the previous one is done
            if other is not item and other.status == "current":
                other.status = "done"
        meeting.current_item_id = item.id
    elif "status" in values and meeting.current_item_id == item.id:
        meeting.current_item_id = None


def add_item(meeting_id: int, data: dict, actor, now: datetime) -> AgendaItem:
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, data.get("version"), actor)
    values = _read(meeting, data, creating=True)
    item = AgendaItem(position=max((i.position for i in meeting.agenda), default=-1) + 1, status="pending")
    meeting.agenda.append(item)
    _apply(meeting, item, values)
    db.session.flush()
    changed(meeting, "agenda_added", {"item_id": item.id}, now)
    db.session.commit()
    return item


def update_item(meeting_id: int, item_id: int, data: dict, actor, now: datetime) -> AgendaItem:
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, data.get("version"), actor)
    item = _item(meeting, item_id)
    values = _read(meeting, data, creating=False, item=item)
    if any(getattr(item, k) != v for k, v in values.items()):
        _apply(meeting, item, values)
        changed(meeting, "agenda_changed", {"item_id": item.id, "fields": sorted(values)}, now)
    db.session.commit()
    return item


def delete_item(meeting_id: int, item_id: int, actor, now: datetime, version=None) -> None:
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, version, actor)
    item = _item(meeting, item_id)
    gone = {item.id} | {c.id for c in meeting.agenda if c.parent_id == item.id}
    for document in meeting.documents:  # documents stay in the dossier, outside any item
        if document.agenda_item_id in gone:
            document.agenda_item_id = None
    for doomed in [i for i in meeting.agenda if i.id in gone]:
        meeting.agenda.remove(doomed)
    if meeting.current_item_id in gone:
        meeting.current_item_id = None
    changed(meeting, "agenda_removed", {"item_ids": sorted(gone)}, now)
    db.session.commit()


def reorder(meeting_id: int, data: dict, actor, now: datetime) -> Meeting:
    """`item_ids` lists every item, or every top-level item (sub-items keep their order)."""
    meeting = managed_meeting(meeting_id, actor)
    fields = Fields(data)
    version = fields.integer("version", required=True)
    ids = data.get("item_ids")
    fields.raise_if_errors()
    check_version(meeting, version, actor)
    top = {i.id for i in meeting.agenda if i.parent_id is None}
    every = {i.id for i in meeting.agenda}
    if not isinstance(ids, list) or len(set(ids)) != len(ids) or set(ids) not in (top, every):
        raise ValidationFailed({"item_ids": _("List every item of the agenda exactly once.")})
    items = {i.id: i for i in meeting.agenda}
    for position, item_id in enumerate(ids):
        items[item_id].position = position
    changed(meeting, "agenda_reordered", {"item_ids": ids}, now)
    db.session.commit()
    return meeting
