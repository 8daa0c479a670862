"""Meeting status by the clock, and housekeeping of generated files, as scheduler sweepers."""
import os
from datetime import timedelta

from meetings.dossiers import jobs
from meetings.dossiers.models import Meeting, MeetingChange
from meetings.dossiers.storage import cache
from meetings.extensions import db
from tests.meetings.conftest import NOW


def status(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        changes = db.session.query(MeetingChange).filter_by(meeting_id=meeting_id, type="status").count()
        return meeting.status, meeting.version, changes


def run(app, at):
    with app.app_context():
        return jobs.advance_meeting_status(at)


def test_meeting_starts_and_ends_by_the_clock_once(app, board):
    meeting = board.meeting()  # Thursday 3 December 08:00-10:00 in Hà Nội = 01:00-03:00 UTC
    start = NOW + timedelta(hours=22)
    version = meeting["version"]
    assert run(app, start - timedelta(minutes=1)) == 0
    assert run(app, start) == 1
    assert status(app, meeting["id"]) == ("in_progress", version + 1, 1)
    assert run(app, start + timedelta(minutes=1)) == 0
    end = start + timedelta(hours=2)
    assert run(app, end + jobs.ENDED_AFTER - timedelta(minutes=1)) == 0
    assert run(app, end + jobs.ENDED_AFTER) == 1
    assert status(app, meeting["id"]) == ("ended", version + 2, 2)


def test_draft_meetings_never_start(app, board):
    draft = board.meeting(status="draft")
    assert run(app, NOW + timedelta(days=2)) == 0
    assert status(app, draft["id"])[0] == "draft"


def test_generated_files_unread_for_a_month_are_purged(app):
    with app.app_context():
        store = cache()
        store.put("a" * 64, b"old copy")
        store.put("b" * 64, b"fresh copy")
        month_ago = (NOW - timedelta(days=31)).timestamp()
        for key in ("a" * 64, "b" * 64):
            os.utime(store.path(key), (month_ago, month_ago))
        store.get("b" * 64)  # read now: kept
        os.utime(store.path("b" * 64), (NOW.timestamp(), NOW.timestamp()))
        assert jobs.purge_generated_files(NOW) == 1
        assert store.get("a" * 64) is None and store.get("b" * 64) == b"fresh copy"


def test_reading_refreshes_the_last_read_time(app, tmp_path):
    from meetings.dossiers.cache import FileCache

    store = FileCache(tmp_path)
    store.put("c" * 64, b"x")
    os.utime(store.path("c" * 64), (0, 0))
    store.get("c" * 64)
    assert store.path("c" * 64).stat().st_atime > 0  # the access time: the modification time stays when made
    assert store.path("c" * 64).stat().st_mtime == 0
