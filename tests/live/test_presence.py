"""Presence left behind by a server process that was killed: ignored once stale, swept, announced.

Time is passed in: the heartbeat and the sweep take `now`, the rows are written at the fixed NOW.
"""
from meetings.dossiers.models import Meeting
from meetings.extensions import db
from meetings.live import presence
from meetings.live.models import Presence
from tests.live.conftest import NOW, join, updates


def _killed_process_socket(meeting, user, sid="killed-sid"):
    """What a process that died mid-meeting leaves: its row, never refreshed, never departed."""
    with meeting.app.app_context():
        db.session.add(Presence(sid=sid, meeting_id=meeting.id, user_id=user.id, at=NOW, instance="killed" * 5,
                                seen_at=NOW))
        db.session.commit()


def test_rows_of_a_killed_process_are_ignored_when_stale_and_swept_with_an_announcement(meeting):
    member, ghost = meeting.members
    watcher = meeting.socket(member)  # a socket of this (live) process
    join(watcher, meeting.id)
    _killed_process_socket(meeting, ghost)
    later = NOW + presence.STALE_AFTER + presence.HEARTBEAT
    with meeting.app.app_context():
        assert presence.connected_users(meeting.id, NOW) == {member.id, ghost.id}
        presence.heartbeat(presence.instance_id(), later)  # this process beats; the killed one cannot
        assert presence.connected_users(meeting.id, later) == {member.id}
        updates(watcher)
        version = db.session.get(Meeting, meeting.id).version
        assert presence.sweep(later) == 1
        assert presence.sweep(later) == 0
        assert set(db.session.scalars(db.select(Presence.user_id))) == {member.id}
    [gone] = updates(watcher)
    assert gone == {"meeting_id": meeting.id, "version": version + 1, "type": "presence",
                    "data": {"user_id": ghost.id, "connected": False}}


def test_a_user_with_a_fresh_socket_elsewhere_stays_connected_through_the_sweep(meeting):
    member = meeting.members[0]
    watcher = meeting.socket(meeting.secretary)
    join(watcher, meeting.id)
    join(meeting.socket(member), meeting.id)  # the member came back on this process
    _killed_process_socket(meeting, member)  # ... and their old socket died with the other one
    later = NOW + presence.STALE_AFTER + presence.HEARTBEAT
    with meeting.app.app_context():
        presence.heartbeat(presence.instance_id(), later)
        updates(watcher)
        assert presence.sweep(later) == 1
        assert presence.connected_users(meeting.id, later) == {meeting.secretary.id, member.id}
    assert updates(watcher) == []  # nobody left: no announcement


def test_rows_refreshed_by_the_heartbeat_are_kept(meeting):
    member = meeting.members[0]
    join(meeting.socket(member), meeting.id)
    with meeting.app.app_context():
        for beat in range(1, 5):  # four beats, each within STALE_AFTER of the one before
            now = NOW + beat * presence.HEARTBEAT
            presence.heartbeat(presence.instance_id(), now)
            assert presence.sweep(now) == 0
        assert presence.connected_users(meeting.id, NOW + 4 * presence.HEARTBEAT) == {member.id}
        # Without beats the same row goes stale: a process that stops beating is treated as gone.
        assert presence.sweep(NOW + 4 * presence.HEARTBEAT + presence.STALE_AFTER + presence.HEARTBEAT) == 1


def test_a_socket_whose_departure_failed_is_not_kept_alive_by_the_heartbeat(meeting):
    """A crowd leaving at once can make a disconnect handler fail (SQLite busy): the row of that closed
    socket stays, in this live process. The heartbeat refreshes only sockets still open, so the row goes
    stale and the sweep removes it and tells the room, as for a killed process."""
    member, other = meeting.members
    watcher = meeting.socket(meeting.secretary)
    join(watcher, meeting.id)
    join(meeting.socket(member), meeting.id)
    with meeting.app.app_context():  # the other member's socket closed, its departure never written
        db.session.add(Presence(sid="closed-sid", meeting_id=meeting.id, user_id=other.id, at=NOW,
                                instance=presence.instance_id(), seen_at=NOW))
        db.session.commit()
    later = NOW + presence.STALE_AFTER + presence.HEARTBEAT
    with meeting.app.app_context():
        for beat in range(1, 5):
            presence.heartbeat(presence.instance_id(), NOW + beat * presence.HEARTBEAT)
        updates(watcher)
        assert presence.sweep(later) == 1
        assert presence.connected_users(meeting.id, later) == {meeting.secretary.id, member.id}
    [gone] = updates(watcher)
    assert gone["data"] == {"user_id": other.id, "connected": False}
