"""Turning an existing schedule entry into a meeting: same id (so feeds, links and history stay), its
leaders and participants become the meeting's people, the chairing leader its chair."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.calendar import history
from meetings.calendar import services as calendar
from meetings.dossiers import announce, calendar_link
from meetings.dossiers.access import can_create_meeting
from meetings.dossiers.models import Meeting
from meetings.dossiers.services import add_people
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
