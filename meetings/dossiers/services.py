"""Meetings: set-up (from scratch, a template or a past meeting), participants, status, and the one
`changed()` step that raises the version, logs the change and announces it after commit."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from meetings.calendar import services as calendar
from meetings.calendar.conflicts import lock_calendar
from meetings.calendar.services import Stale
from meetings.directory.models import Unit, User
from meetings.dossiers import announce, calendar_link
from meetings.dossiers.access import can_create_meeting, can_manage_meeting, can_see_meeting
from meetings.dossiers.models import (ATTENDANCE, MEETING_STATUSES, ROLES, AgendaItem, Meeting, MeetingChange,
                                      MeetingParticipant, MeetingTemplate)
from meetings.errors import Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.feeds import invitations
from meetings.realtime import drop_from_rooms, publish
from meetings.validation import Fields

CHANGE_LOG_KEPT = 500  # per meeting: enough for a reconnecting screen, bounded for a long meeting
# The log is trimmed on every PRUNE_EVERY-th change only (so it holds KEPT to KEPT + PRUNE_EVERY - 1
# changes): a DELETE less inside the meeting's lock on the others, the live room's busiest path.
PRUNE_EVERY = 50
MEETING_KEYS = ("participants", "unit_ids", "confidential", "template_id", "copy_from", "status")


def meeting_room(meeting_id: int) -> str:
    """The socket room of one meeting's screens (joined by the live feature)."""
    return f"meeting:{meeting_id}"


def runners_room(meeting_id: int) -> str:
    """Screens of the chair and secretaries: the live count of a vote goes only here."""
    return f"meeting:{meeting_id}:runners"


def drop_lost_rooms(meeting: Meeting, user_id: int, now: datetime) -> None:
    """After a participant is removed or changes role: their open screens (in every process) leave
    the rooms they may no longer be in, at the commit. Asked through the same rules as joining."""
    from meetings.live.access import can_run_meeting  # the live package imports this module
    from meetings.live.presence import forget_user

    user = db.session.get(User, user_id)
    if user is None:
        return
    if not can_see_meeting(user, meeting):
        drop_from_rooms(user_id, [meeting_room(meeting.id), runners_room(meeting.id)])
        forget_user(meeting, user_id, now)
    elif not can_run_meeting(user, meeting):
        drop_from_rooms(user_id, [runners_room(meeting.id)])


def get_meeting(meeting_id: int, user) -> Meeting:
    """The meeting if the user may see it; NotFound otherwise (the two look alike from outside)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not can_see_meeting(user, meeting):
        raise NotFound(_("No such meeting."))
    return meeting


def managed_meeting(meeting_id: int, user, lock: bool = True) -> Meeting:
    """The meeting for a change: visible and manageable, locked against concurrent writers."""
    meeting = get_meeting(meeting_id, user)
    if not can_manage_meeting(user, meeting):
        raise Forbidden(_("Only the meeting's secretaries may change it."))
    if lock:
        lock_meeting(meeting)
    return meeting


def lock_meeting(meeting: Meeting) -> None:
    """Serialise writers of one meeting, so its version rises by exactly one per change."""
    lock_calendar((), (), ())  # SQLite: take the write lock up front
    db.session.refresh(meeting, with_for_update=True)  # PostgreSQL: lock the row and read it fresh at once


def check_version(meeting: Meeting, version, user) -> None:
    """A change made against an older version is refused with the meeting as it is now."""
    if version is None or str(version) == str(meeting.version):
        return
    from meetings.dossiers.present import meeting_json

    current = meeting_json(meeting, user)
    db.session.rollback()
    raise Stale(_("Someone else changed this meeting; here it is as it is now."), current=current,
                version=current["version"])


def changed(meeting: Meeting, kind: str, data: dict, now: datetime) -> dict:
    """Version +1, a change-log row, and a message sent after the commit (never before); returns the message."""
    meeting.version += 1
    db.session.add(MeetingChange(meeting_id=meeting.id, version=meeting.version, type=kind, data=data, at=now))
    if meeting.version % PRUNE_EVERY == 0:
        db.session.execute(delete(MeetingChange).where(MeetingChange.meeting_id == meeting.id,
                                                       MeetingChange.version <= meeting.version - CHANGE_LOG_KEPT))
    message = {"meeting_id": meeting.id, "version": meeting.version, "type": kind, "data": data}
    publish("meeting_update", message, room=meeting_room(meeting.id))
    return message


def read_participants(raw, fields: Fields) -> list[tuple[int, str]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        fields.fail("participants", _("Expected a list of {user_id, role}."))
        return []
    found, seen = [], set()
    for entry in raw:
        user_id, role = entry.get("user_id"), entry.get("role", "member")
        user = db.session.get(User, user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
        if user is None or not user.active:
            fields.fail("participants", _("Unknown or inactive user: %(id)s.", id=user_id))
        elif role not in ROLES:
            fields.fail("participants", _("Must be one of: %(choices)s.", choices=", ".join(ROLES)))
        elif user_id not in seen:
            seen.add(user_id)
            found.append((user_id, role))
    return found


def unit_members(unit_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(User.unit_id == unit_id, User.active.is_(True))
                                   .order_by(User.rank, User.name)))


def add_people(meeting: Meeting, people: list[tuple[int, str]]) -> list[int]:
    present = {p.user_id for p in meeting.participants}
    added = []
    for user_id, role in people:
        if user_id not in present:
            meeting.participants.append(MeetingParticipant(user_id=user_id, role=role, attendance="invited"))
            present.add(user_id)
            added.append(user_id)
    return added


def _present_users(meeting: Meeting) -> set[int]:
    """Users with a screen in the meeting's room, in any process (one presence row per socket)."""
    from meetings.live.models import Presence  # the live package imports this module

    return set(db.session.scalars(select(Presence.user_id).where(Presence.meeting_id == meeting.id)))


def create_meeting(data: dict, actor, now: datetime) -> Meeting:
    """A calendar entry (the event fields, as POST /api/v1/events) that is also a meeting; `chair_id`
    and `leader_ids` (leaders) take part and stand on the entry as its chairing and attending leaders."""
    if not can_create_meeting(actor):
        raise Forbidden(_("Only the office's secretaries may set up meetings."))
    fields = Fields(data)
    chair, leaders = calendar_link.read_chair_and_leaders(fields)
    people = chair + read_participants(data.get("participants"), fields) + leaders
    status = fields.choice("status", MEETING_STATUSES[:2], default="draft")
    confidential = fields.boolean("confidential", default=False)
    source = _setup_source(fields, actor)
    unit_ids = _unit_ids(fields)
    fields.raise_if_errors()
    if source is not None:
        people += source_people(source)
    for unit_id in unit_ids:
        people += [(u.id, "member") for u in unit_members(unit_id)]
    if confidential and actor.role != "admin":
        # Only participants see a confidential meeting: whoever sets it up takes part as its secretary.
        people.append((actor.id, "secretary"))
    people = _first_roles(people)
    event_data = {k: v for k, v in data.items() if k not in MEETING_KEYS + ("leader_ids", "chair_id")}
    event_data.update(status=status, kind=event_data.get("kind") or "meeting", **calendar_link.entry_values(people))
    if confidential:
        event_data["visibility"] = "confidential"
    # The calendar commits the entry itself (with its conflict checks); everything else that could
    # be refused was checked above, so the meeting row follows in a second, small transaction. The
    # meeting invites its people itself (announce), so the calendar's plain invitation leaves them out.
    with invitations.leaving_out(user_id for user_id, _role in people):
        event, _clashes = calendar.create_event(event_data, actor, now)
    meeting = Meeting(id=event.id, status=status, confidential=confidential, version=1, created_at=now)
    db.session.add(meeting)
    if source is not None:
        _copy_agenda(meeting, source)
    add_people(meeting, people)
    db.session.flush()
    calendar_link.sync_calendar(meeting, actor, now)
    if status == "published":
        announce.published(meeting, now)
    db.session.commit()
    return meeting


def _first_roles(people: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each person once, with the first role given (the chosen chair before a template's roles)."""
    seen: dict[int, str] = {}
    for user_id, role in people:
        seen.setdefault(user_id, role)
    return list(seen.items())


def _unit_ids(fields: Fields) -> list[int]:
    raw = fields.data.get("unit_ids") or []
    ids = [u for u in raw if isinstance(u, int)] if isinstance(raw, list) else []
    if len(ids) != len(raw if isinstance(raw, list) else [None]) or any(db.session.get(Unit, i) is None for i in ids):
        fields.fail("unit_ids", _("Expected a list of unit ids."))
    return ids


def _setup_source(fields: Fields, actor):
    """A template, or a past meeting to copy (agenda and participants, never documents)."""
    template_id, copy_from = fields.integer("template_id"), fields.integer("copy_from")
    if template_id:
        template = db.session.get(MeetingTemplate, template_id)
        if template is None:
            fields.fail("template_id", _("No such template."))
        return template
    if copy_from:
        past = db.session.get(Meeting, copy_from)
        if past is None or not can_see_meeting(actor, past):
            fields.fail("copy_from", _("No such meeting."))
            return None
        return past
    return None


def source_people(source) -> list[tuple[int, str]]:
    if isinstance(source, MeetingTemplate):
        return [(p["user_id"], p["role"]) for p in source.data.get("participants", [])
                if (u := db.session.get(User, p["user_id"])) is not None and u.active]
    return [(p.user_id, p.role) for p in source.participants if p.user.active]


def template_data(meeting: Meeting) -> dict:
    """What a template keeps of a meeting: the agenda's shape and the people with their roles."""
    items = []
    for item in meeting.agenda:
        if item.parent_id is None:
            items.append({"title": item.title, "duration_minutes": item.duration_minutes,
                          "presenter_id": item.presenter_id, "presenter_unit_id": item.presenter_unit_id,
                          "children": [{"title": c.title, "duration_minutes": c.duration_minutes,
                                        "presenter_id": c.presenter_id, "presenter_unit_id": c.presenter_unit_id}
                                       for c in meeting.agenda if c.parent_id == item.id]})
    return {"agenda": items, "participants": [{"user_id": p.user_id, "role": p.role} for p in meeting.participants]}


def _copy_agenda(meeting: Meeting, source) -> None:
    data = source.data if isinstance(source, MeetingTemplate) else template_data(source)
    position = 0
    for entry in data.get("agenda", []):
        parent = _item_from(entry, position)
        meeting.agenda.append(parent)
        db.session.flush()
        position += 1
        for child in entry.get("children", []):
            item = _item_from(child, position)
            item.parent_id = parent.id
            meeting.agenda.append(item)
            position += 1


def _item_from(entry: dict, position: int) -> AgendaItem:
    return AgendaItem(title=entry["title"], duration_minutes=entry.get("duration_minutes"), position=position,
                      presenter_id=entry.get("presenter_id"), presenter_unit_id=entry.get("presenter_unit_id"),
                      status="pending")


def save_template(meeting_id: int, name: str, actor) -> MeetingTemplate:
    meeting = managed_meeting(meeting_id, actor, lock=False)
    fields = Fields({"name": name})
    name = fields.string("name", required=True, max_length=300)
    if name and db.session.scalar(select(MeetingTemplate.id).where(MeetingTemplate.name == name)):
        fields.fail("name", _("A template with this name already exists."))
    fields.raise_if_errors()
    template = MeetingTemplate(name=name, data=template_data(meeting))
    db.session.add(template)
    db.session.commit()
    return template


def templates() -> list[MeetingTemplate]:
    return list(db.session.scalars(select(MeetingTemplate).order_by(MeetingTemplate.name)))


def add_participants(meeting_id: int, data: dict, actor, now: datetime) -> Meeting:
    """People with a role, or every active member of a unit (as members)."""
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, data.get("version"), actor)
    fields = Fields(data)
    role = fields.choice("role", ROLES, default="member")
    people = read_participants(data.get("participants"), fields)
    for user_id in data.get("user_ids") or []:
        people += read_participants([{"user_id": user_id, "role": role}], fields)
    for unit_id in _unit_ids(fields):
        people += [(u.id, role) for u in unit_members(unit_id)]
    fields.raise_if_errors()
    added = add_people(meeting, people)
    if added:
        db.session.flush()
        calendar_link.sync_calendar(meeting, actor, now)
        changed(meeting, "participants_added", {"user_ids": added}, now)
        if meeting.status != "draft":  # people added after publication are invited then
            announce.published(meeting, now, only=added)
    db.session.commit()
    return meeting


def update_participant(meeting_id: int, user_id: int, data: dict, actor, now: datetime) -> MeetingParticipant:
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, data.get("version"), actor)
    part = next((p for p in meeting.participants if p.user_id == user_id), None)
    if part is None:
        raise NotFound(_("This person does not take part in the meeting."))
    fields = Fields(data)
    role = fields.choice("role", ROLES, default=part.role)
    attendance = fields.choice("attendance", ATTENDANCE, default=part.attendance)
    fields.raise_if_errors()
    if (role, attendance) != (part.role, part.attendance):
        role_changed, part.role, part.attendance = role != part.role, role, attendance
        if role_changed:  # a new chair (or a chair no more) moves on the leaders' calendars too
            calendar_link.sync_calendar(meeting, actor, now)
        changed(meeting, "participant_changed", {"user_id": user_id, "role": role, "attendance": attendance}, now)
        drop_lost_rooms(meeting, user_id, now)
    db.session.commit()
    return part


def remove_participant(meeting_id: int, user_id: int, actor, now: datetime, version=None) -> None:
    meeting = managed_meeting(meeting_id, actor)
    check_version(meeting, version, actor)
    part = next((p for p in meeting.participants if p.user_id == user_id), None)
    if part is None:
        raise NotFound(_("This person does not take part in the meeting."))
    removed, person = drop_participant(meeting, part), part.user
    announce.uninvited(meeting, person, now)
    db.session.flush()
    calendar_link.sync_calendar(meeting, actor, now)
    for gone in removed:  # their screens learn it, then leave the room
        changed(meeting, "participant_removed", {"user_id": gone}, now)
        drop_lost_rooms(meeting, gone, now)
    db.session.commit()


def drop_participant(meeting: Meeting, part: MeetingParticipant) -> list[int]:
    """Take someone out of the meeting with what hangs on them: their document rights, the delegate
    who came only in their place, and (for a delegate) the answer of whom they stood in for, which
    is open again. Returns the user ids that left."""
    removed = [part.user_id]
    meeting.participants.remove(part)
    for document in meeting.documents:  # a chosen reader who leaves the meeting reads nothing more
        document.readers = [r for r in document.readers if r.user_id != part.user_id]
    for other in list(meeting.participants):
        if other.delegate_for_id == part.user_id:
            if other.by_delegation:
                removed += drop_participant(meeting, other)
            else:
                other.delegate_for_id = None
        elif part.delegate_for_id == other.user_id and other.rsvp == "delegated":
            other.rsvp, other.rsvp_at = None, None
    return removed


def set_status(meeting_id: int, data: dict, actor, now: datetime) -> Meeting:
    """draft → published → in_progress → ended; publishing also publishes the calendar entry."""
    meeting = managed_meeting(meeting_id, actor, lock=False)
    fields = Fields(data)
    status = fields.choice("status", MEETING_STATUSES, default=meeting.status)
    confidential = fields.boolean("confidential", default=meeting.confidential)
    fields.raise_if_errors()
    if status == "draft" and meeting.status != "draft":
        raise ValidationFailed({"status": _("A published meeting cannot go back to draft.")})
    if status != "draft" and meeting.event.status == "draft":
        calendar.update_event(meeting.id, {"status": "published"}, actor, now)
        meeting = managed_meeting(meeting_id, actor)
    else:
        meeting = managed_meeting(meeting_id, actor)
    if (status, confidential) != (meeting.status, meeting.confidential):
        meeting_was, meeting.status, meeting.confidential = meeting.status, status, confidential
        if confidential:
            meeting.event.visibility = "confidential"
        if status != meeting_was:
            announce.status_changed(meeting, meeting_was, now)
        publish("meeting_status", {"meeting_id": meeting.id, "status": status, "version": meeting.version},
                room=meeting_room(meeting.id))
        if confidential:  # the office's secretaries who do not take part may no longer be in the room
            for user_id in _present_users(meeting):
                drop_lost_rooms(meeting, user_id, now)
    db.session.commit()
    return meeting


def my_meetings(user) -> list[Meeting]:
    """Meetings the user may see, the coming ones first by their start."""
    from meetings.calendar.models import Event

    from meetings.consultations.models import Consultation

    # A request for opinions' carrier meeting is not a meeting anyone holds: its documents show there.
    query = (select(Meeting).join(Event, Event.id == Meeting.id).order_by(Event.start_at.desc())
             .where(Meeting.id.not_in(select(Consultation.carrier_id))))
    if not (user.role in ("admin", "secretary")):
        query = query.join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id).where(
            MeetingParticipant.user_id == user.id)
    return [m for m in db.session.scalars(query) if can_see_meeting(user, m)]
