"""The hidden meeting that carries a request's draft documents.

A document of the dossier belongs to a meeting, and everything around it (the upload checks, access
levels, personal stamps, page images, the reader and its annotations, and their coming changes)
works on that. Rather than a second copy of all of it, each request for opinions owns one meeting
that nobody holds: a draft, internal calendar entry parked at 1900-01-01, before any calendar range,
week to publish, conflict check or feed, left out of the meetings list (dossiers.services.my_meetings),
with no participants. Those asked read its documents through meetings.dossiers.access, which asks
consultations.access.reads_carrier for a meeting they do not take part in.
"""
from datetime import datetime, timezone

from meetings.calendar.models import Event
from meetings.dossiers.models import Meeting
from meetings.extensions import db

PARKED = datetime(1900, 1, 1, tzinfo=timezone.utc)


def new_carrier(title: str, actor, now: datetime) -> Meeting:
    event = Event(title=title[:500], start_at=PARKED, end_at=PARKED, span_start=PARKED, span_end=PARKED,
                  all_day=False, kind="other", visibility="internal", status="draft", search_folded="",
                  created_by_id=getattr(actor, "id", None), created_at=now, updated_at=now)
    db.session.add(event)
    db.session.flush()
    meeting = Meeting(id=event.id, status="draft", confidential=False, version=1, created_at=now)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def rename(meeting: Meeting, title: str) -> None:
    meeting.event.title = title[:500]
