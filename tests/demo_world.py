"""The demo office (`flask demo`) at a fixed moment, for tests that look at every main page as people do.

The demo is what a new user sees first, so the language and accessibility checks read the same
data: a published week, next week's drafts, a meeting with an agenda and documents, tasks.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from meetings.calendar.demo import load_calendar_demo
from meetings.calendar.models import Event
from meetings.consultations.demo import load_consultations_demo, load_periodic_demo
from meetings.demo import DEMO_PASSWORD, load_demo
from meetings.directory import services as directory
from meetings.dossiers.demo import load_meetings_demo
from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from meetings.live import votes
from meetings.tasks.demo import load_tasks_demo

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Hà Nội, week 2026-W49
PASSWORD = DEMO_PASSWORD
# The person each page is seen as. The leader chairs the demo meeting; the member sits in it.
EMAILS = {"admin": "admin@demo.gov.vn", "secretary": "thuky@demo.gov.vn", "leader": "bo.truong@demo.gov.vn",
          "member": "chuyenvien@demo.gov.vn", "meeting member": "vu.pc@demo.gov.vn"}


@dataclass
class DemoWorld:
    meeting: int
    document: int
    event: int
    moved: int  # published, then moved: its history has rows
    consultation: int | None = None  # a request for written opinions, sent, two of four answered
    periodic: int | None = None  # a monthly report from three units: one past round, one open

    def url(self, path: str) -> str:
        return path.format(meeting=self.meeting, document=self.document, event=self.event, moved=self.moved,
                           consultation=self.consultation, periodic=self.periodic)


def load(app) -> DemoWorld:
    """The demo loaded at NOW, with a vote open in the meeting so that the live room shows a ballot."""
    with app.app_context():
        load_demo()
        load_calendar_demo(NOW)
        load_meetings_demo(NOW)
        load_tasks_demo(NOW)
        db.session.commit()
        meeting = db.session.scalar(select(Meeting.id))
        chair = directory.user_by_email(EMAILS["leader"])
        votes.open_vote(meeting, {"question": "Thông qua dự thảo Nghị định?"}, chair, NOW)
        db.session.commit()
        document = db.session.scalar(select(Document.id).where(Document.meeting_id == meeting).order_by(Document.id))
        event = db.session.scalar(select(Event.id).where(Event.title == "Họp giao ban Lãnh đạo Bộ"))
        moved = db.session.scalar(select(Event.id).where(Event.title.startswith("Làm việc với Vụ Kế hoạch")))
        # After the lookups above: the request's hidden carrier meeting must not be taken for the meeting.
        consultation = load_consultations_demo(NOW)
        periodic = load_periodic_demo(NOW)
        db.session.commit()
        return DemoWorld(meeting=meeting, document=document, event=event, moved=moved, consultation=consultation,
                         periodic=periodic)
