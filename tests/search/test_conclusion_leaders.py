"""A meeting's leaders read its conclusions (they gave them) even where they take no part in the
meeting itself: search finds them for the leader, as tasks.access.conclusion_rights says, and for
nobody else outside the meeting."""
from meetings.calendar import services as calendar
from meetings.calendar.models import Event
from meetings.directory.models import User
from meetings.dossiers import services as dossiers
from meetings.dossiers.access import can_see_meeting
from meetings.dossiers.models import Meeting, MeetingParticipant
from meetings.extensions import db
from meetings.search import services
from meetings.tasks.access import conclusion_rights
from meetings.tasks.models import Conclusion
from tests.factories import Factories
from tests.search.world import NOW


def test_a_leader_who_takes_no_part_in_a_confidential_meeting_finds_its_conclusions(app):
    make = Factories(app)
    secretary, leader, member, outsider = (make.user(role) for role in ("secretary", "leader", "member", "member"))
    with app.app_context():
        actor = db.session.get(User, secretary.id)
        meeting_id = dossiers.create_meeting(
            {"title": "Họp mật", "start": "2026-11-10T08:00", "end": "2026-11-10T09:00", "status": "published",
             "confidential": True, "participants": [{"user_id": member.id, "role": "member"}]}, actor, NOW).id
        calendar.update_event(meeting_id, {"leader_ids": [leader.id]}, actor, NOW)
        # Naming a leader makes him a participant today; conclusion_rights also lets a leader who is not
        # one read them, and that case is what this test holds the search to (the row removed by hand).
        db.session.execute(db.delete(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting_id,
                                                               MeetingParticipant.user_id == leader.id))
        db.session.add(Conclusion(meeting_id=meeting_id, text="Giao Vụ A lập phương án đê điều", created_at=NOW))
        db.session.commit()
        entry, meeting = db.session.get(Event, meeting_id), db.session.get(Meeting, meeting_id)
        for person, reads in ((leader, True), (member, True), (outsider, False)):
            user = db.session.get(User, person.id)
            assert conclusion_rights(user, entry).see is reads
            found = services.search(user, services.Criteria(q="phương án đê điều", kinds=("conclusion",)))
            assert len(found.rows) == (1 if reads else 0), person.email
        # The leader reads them as their leader, not as someone who sees the meeting.
        assert not can_see_meeting(db.session.get(User, leader.id), meeting)
