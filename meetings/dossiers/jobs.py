"""Scheduled sweepers for meetings: status by the clock, stamped pages queued to be made ahead, and clearing
generated files nobody reads.

A published meeting becomes in_progress at its start; one the chair forgot to end becomes ended
some time after its planned end. Both go through the one change path (version +1, change log,
pushed after commit), so every open screen follows.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from meetings.calendar.models import Event
from meetings.dossiers import announce
from meetings.dossiers.models import Meeting
from meetings.dossiers.services import changed
from meetings.dossiers.storage import cache
from meetings.extensions import db
from meetings.jobs import enqueue
from meetings.notify.scheduler import job

ENDED_AFTER = timedelta(hours=2)  # after the planned end, unless the chair ended it already
UNREAD_FOR = timedelta(days=30)
PREPARE_AHEAD = timedelta(hours=24)  # stamped first pages are made for meetings starting this soon
QUEUE_AGAIN_AFTER = timedelta(hours=1)  # a job lost with a worker is queued again after this


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
    """Queue each reader's stamped copies and first pages of the documents of published meetings starting
    within a day (and those in progress): one job per document (background.prepare_document), run by the
    worker, never here (the scheduler's other sweeps must not wait behind 2,700 drawings). Returns how
    many jobs were queued."""
    soon = db.session.scalars(
        select(Meeting).join(Event, Event.id == Meeting.id)
        .where(Meeting.status.in_(("published", "in_progress")), Event.status != "cancelled",
               Event.start_at <= now + PREPARE_AHEAD, Event.end_at >= now)
        .order_by(Event.start_at))
    queued = _queued()
    for key, at in list(queued.items()):
        if now - at >= QUEUE_AGAIN_AFTER:
            del queued[key]
    count = 0
    for meeting in soon:
        readers = tuple(sorted(p.user_id for p in meeting.participants))
        for document in meeting.documents:
            # The job only looks at what is made, but a busy worker should not find the same job
            # queued again every 5 minutes: once per version and set of readers, again after an hour.
            key = (document.id, document.current_version, readers)
            if document.readable and key not in queued:
                enqueue("prepare_document", document.id, now.isoformat())
                queued[key] = now
                count += 1
    return count


def _queued() -> dict:
    return current_app.extensions.setdefault("prepare_queued", {})


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


