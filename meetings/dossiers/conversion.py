"""From the calendar's side: an existing schedule entry turned into a meeting (same id, so feeds, links
and history stay; its leaders and participants become the meeting's people, the chairing leader its
chair), and a meeting entry's leaders edited on the calendar followed by the meeting."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.calendar import history, hooks
from meetings.calendar import services as calendar
from meetings.dossiers import announce, calendar_link
from meetings.dossiers.access import can_create_meeting
from meetings.dossiers.models import Meeting
from meetings.dossiers.services import add_people, changed
from meetings.errors import Conflict, Forbidden, ValidationFailed
from meetings.extensions import db


def meeting_from_entry(event_id: int, actor, now: datetime) -> Meeting:
    if not can_create_meeting(actor):
        raise Forbidden(_("Only the office's secretaries may set up meetings."))
    calendar.get_event(event_id, actor)  # NotFound for an entry the actor cannot see
    event = calendar.lock_for_edit(event_id)
    if db.session.get(Meeting, event.id) is not None:
        db.session.rollback()
        raise Conflict(_("This entry is already a meeting."))
    if event.status == "cancelled":
        db.session.rollback()
        raise ValidationFailed({"status": _("A cancelled entry cannot become a meeting.")})
    if event.rrule:
        db.session.rollback()
        raise ValidationFailed({"rrule": _("A recurring entry cannot become one meeting; "
                                           "make a separate entry for the occurrence first.")})
    people = [(link.user_id, "chair" if link.role == "chair" else "member") for link in event.leaders]
    people += [(user_id, "member") for user_id in event.participant_ids]
    confidential = event.visibility == "confidential"
    if confidential and actor.role != "admin":
        people.append((actor.id, "secretary"))  # as create_meeting: whoever sets it up can still see it
    meeting = Meeting(id=event.id, status="published" if event.status == "published" else "draft",
                      confidential=confidential, version=1, created_at=now)
    db.session.add(meeting)
    add_people(meeting, people)
    db.session.flush()
    history.record(event, history.new_batch(), {"meeting": (None, event.title)}, actor.id, now)
    calendar_link.sync_calendar(meeting, actor, now)
    if meeting.status == "published":
        announce.published(meeting, now)
    db.session.commit()
    return meeting


@hooks.listen
def leaders_edited(event, changes: dict, actor, now: datetime, created: bool = False) -> None:
    """A meeting's entry given other leaders on the calendar's own form: the meeting follows (a new
    leader takes part, the chairing leader chairs, a leader taken off leaves), so that the next change
    made from the meeting's side does not undo the edit. After the meeting's own sync this finds
    nothing to do, the two being in step."""
    if created or "leaders" not in changes:
        return
    meeting = db.session.get(Meeting, event.id)
    if meeting is None:
        return
    chair = next((link.user_id for link in event.leaders if link.role == "chair"), None)
    leader_ids = {link.user_id for link in event.leaders if calendar_link.is_leader(link.user)}
    parts = {p.user_id: p for p in meeting.participants}
    added = [user_id for user_id in leader_ids if user_id not in parts]
    changed_roles = False
    for part in list(meeting.participants):
        if not calendar_link.is_leader(part.user):
            continue
        if part.user_id not in leader_ids:
            meeting.participants.remove(part)
            changed_roles = True
        elif (part.user_id == chair) != (part.role == "chair"):
            part.role = "chair" if part.user_id == chair else "member"
            changed_roles = True
    add_people(meeting, [(user_id, "chair" if user_id == chair else "member") for user_id in sorted(added)])
    if added or changed_roles:
        db.session.flush()
        changed(meeting, "participants_changed", {"leader_ids": sorted(leader_ids), "chair_id": chair}, now)
        if added and meeting.status != "draft":
            announce.published(meeting, now, only=added)
