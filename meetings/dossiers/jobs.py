"""Scheduled sweepers for meetings: status by the clock, stamped pages made ahead, and clearing
generated files nobody reads.

A published meeting becomes in_progress at its start; one the chair forgot to end becomes ended
some time after its planned end. Both go through the one change path (version +1, change log,
pushed after commit), so every open screen follows.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from meetings.calendar.models import Event
from meetings.dossiers import announce
from meetings.dossiers.models import Meeting
from meetings.dossiers.personal import prepare_meeting
from meetings.dossiers.services import changed
from meetings.dossiers.storage import cache
from meetings.extensions import db
from meetings.notify.scheduler import job

ENDED_AFTER = timedelta(hours=2)  # after the planned end, unless the chair ended it already
UNREAD_FOR = timedelta(days=30)
PREPARE_AHEAD = timedelta(hours=24)  # stamped first pages are made for meetings starting this soon


@job("meeting_status", minutes=1)
def advance_meeting_status(now: datetime) -> int:
    moved = 0
    due = db.session.scalars(
        select(Meeting).join(Event, Event.id == Meeting.id)
        .where(((Meeting.status == "published") & (Event.start_at <= now)) |
               ((Meeting.status == "in_progress") & (Event.end_at <= now - ENDED_AFTER)))
        .where(Event.status != "cancelled"))
    for meeting in due:
        meeting.status = "ended" if meeting.event.end_at <= now - ENDED_AFTER else "in_progress"
        changed(meeting, "status", {"status": meeting.status, "by": "schedule"}, now)
        if meeting.status == "in_progress":
            announce.started(meeting, now)
        moved += 1
    db.session.commit()
    return moved


@job("prepare_stamped_pages", minutes=5)
def prepare_stamped_pages(now: datetime) -> int:
    """Each reader's stamped first pages of restricted documents, for published meetings starting
    within a day (and those in progress): ready before anyone opens them. Made once; later runs
    find them in the cache and only look."""
    soon = db.session.scalars(
        select(Meeting).join(Event, Event.id == Meeting.id)
        .where(Meeting.status.in_(("published", "in_progress")), Event.status != "cancelled",
               Event.start_at <= now + PREPARE_AHEAD, Event.end_at >= now)
        .order_by(Event.start_at))
    return sum(prepare_meeting(meeting, now) for meeting in soon)


@job("purge_generated_files", "cron", hour=3, minute=15)
def purge_generated_files(now: datetime) -> int:
    """Personal copies and page images are remade on demand: drop those unread for 30 days."""
    root = cache().directory
    if not root.exists():
        return 0
    limit = (now - UNREAD_FOR).timestamp()
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_atime < limit:  # a read marks the access time (cache.touch)
            path.unlink(missing_ok=True)
            removed += 1
    return removed


