"""Which meetings and documents a device may keep for offline reading, as plain functions of the user,
`now` and what the device already holds. The service worker asks on every reconnect and deletes what
is no longer listed: access removed, the meeting gone, or kept past its time."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from meetings.calendar.models import Event
from meetings.dossiers.access import can_see_meeting
from meetings.dossiers.models import Document, Meeting, MeetingParticipant
from meetings.extensions import db
from meetings.offline.access import can_keep_offline, online_only

MAX_OFFLINE_DAYS = 60  # the profile's "meetings starting within N days" setting
MAX_HELD = 200  # meetings a device may name as held in one request


@dataclass
class KeptMeeting:
    meeting: Meeting
    reason: str  # "coming": within my days ahead; "held": the device keeps it because I opened it
    remove_after: datetime
    documents: list[Document] = field(default_factory=list)  # kept on the device
    online_only: list[Document] = field(default_factory=list)  # `screen`: needs the network


def remove_after(meeting: Meeting, keep_days: int) -> datetime:
    return meeting.event.end_at + timedelta(days=keep_days)


def coming_meetings(user, now: datetime, days: int) -> list[Meeting]:
    """Meetings I take part in that have not ended and start within `days` days."""
    if days <= 0:
        return []
    query = (select(Meeting).join(Event, Event.id == Meeting.id)
             .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
             .where(MeetingParticipant.user_id == user.id, Event.end_at > now,
                    Event.start_at <= now + timedelta(days=days), Event.status != "cancelled")
             .order_by(Event.start_at))
    return [m for m in db.session.scalars(query) if can_see_meeting(user, m)]


def listing(user, now: datetime, held: list[int], keep_days: int) -> list[KeptMeeting]:
    """What this user's device may keep now: the coming meetings, and of those it holds (`held`, ids the
    device names) every one the user may still see whose time has not run out. Anything else the
    device holds is to be deleted."""
    kept: dict[int, KeptMeeting] = {}
    for meeting in coming_meetings(user, now, user.offline_days):
        kept[meeting.id] = KeptMeeting(meeting, "coming", remove_after(meeting, keep_days))
    for meeting_id in held[:MAX_HELD]:
        if meeting_id in kept:
            continue
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or not can_see_meeting(user, meeting) or remove_after(meeting, keep_days) <= now:
            continue
        kept[meeting.id] = KeptMeeting(meeting, "held", remove_after(meeting, keep_days))
    for entry in kept.values():
        for document in entry.meeting.documents:
            if can_keep_offline(user, document):
                entry.documents.append(document)
            elif online_only(user, document):
                entry.online_only.append(document)
    return list(kept.values())
