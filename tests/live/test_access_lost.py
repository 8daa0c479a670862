"""Losing access closes the live room at once: a participant removed from the meeting stops
receiving its pushes, and a user deactivated, signed out everywhere or given a new password is
disconnected. One process here (the test client); test_access_lost_processes.py does it across two."""
from sqlalchemy import select

from meetings.auth.models import ApiToken
from meetings.auth.services import token_digest
from meetings.extensions import db, socketio
from meetings.realtime import NAMESPACE
from tests.factories import Factories
from tests.live.conftest import join, updates


def notice(meeting, text):
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": text}, expect=201)


def notices(received) -> list[str]:
    return [u["data"]["text"] for u in received if u["type"] == "notice"]


def test_a_removed_participant_stops_receiving_the_meeting(meeting):
    removed, staying = meeting.members
    removed_socket, staying_socket = meeting.socket(removed), meeting.socket(staying)
    assert "state" in join(removed_socket, meeting.id) and "state" in join(staying_socket, meeting.id)
    notice(meeting, "Trước")
    meeting.call(meeting.secretary, "DELETE", f"/api/v1/meetings/{meeting.id}/participants/{removed.id}",
                 expect=204)
    notice(meeting, "Sau")
    seen = updates(removed_socket)
    assert notices(seen) == ["Trước"]
    assert [u["data"]["user_id"] for u in seen if u["type"] == "participant_removed"] == [removed.id]
    kept = updates(staying_socket)
    assert notices(kept) == ["Trước", "Sau"]
    gone = [u["data"] for u in kept if u["type"] == "presence"]
    assert {"user_id": removed.id, "connected": False} in gone  # no longer counted as connected
    state = meeting.call(meeting.secretary, "GET", f"/api/v1/meetings/{meeting.id}")
    assert removed.id not in state["live"]["connected"]
    assert removed_socket.is_connected(NAMESPACE)  # still signed in: other meetings and notifications go on
    assert "error" in join(removed_socket, meeting.id)  # and joining again is refused


def rooms_of(client) -> set[str]:
    manager = socketio.server.manager
    return set(manager.get_rooms(manager.sid_from_eio_sid(client.eio_sid, NAMESPACE), NAMESPACE))


def test_a_demoted_chair_leaves_the_runners_room_and_stays_in_the_meeting(meeting):
    chair_socket = meeting.socket(meeting.chair)
    join(chair_socket, meeting.id)
    assert {f"meeting:{meeting.id}", f"meeting:{meeting.id}:runners"} <= rooms_of(chair_socket)
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/meetings/{meeting.id}/participants/{meeting.chair.id}",
                 {"role": "member"})
    assert f"meeting:{meeting.id}:runners" not in rooms_of(chair_socket)
    assert f"meeting:{meeting.id}" in rooms_of(chair_socket)


def test_deactivation_disconnects_every_socket_of_the_user(meeting, app):
    admin = Factories(app).user("admin")
    member = meeting.members[0]
    first, second = meeting.socket(member), meeting.socket(member)
    join(first, meeting.id)
    response = meeting.http.patch(f"/api/v1/users/{member.id}", json={"active": False},
                                  headers={"Authorization": f"Bearer {Factories(app).token(admin)}"})
    assert response.status_code == 200
    assert not first.is_connected(NAMESPACE) and not second.is_connected(NAMESPACE)


def test_signing_out_everywhere_disconnects_the_cookie_and_token_sockets(meeting, app):
    member = meeting.members[0]
    browser = app.test_client()
    browser.post("/login", data={"email": member.email, "password": member.password})
    by_cookie = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=browser)
    by_token = meeting.socket(member)
    other = meeting.socket(meeting.members[1])
    join(by_cookie, meeting.id)
    assert by_cookie.is_connected(NAMESPACE)
    browser.post("/logout-everywhere")
    assert not by_cookie.is_connected(NAMESPACE) and not by_token.is_connected(NAMESPACE)
    assert other.is_connected(NAMESPACE)
    # the old cookie no longer opens a socket
    assert not socketio.test_client(app, namespace=NAMESPACE, flask_test_client=browser).is_connected(NAMESPACE)


def test_revoking_one_token_disconnects_the_sockets_it_opened_and_no_other(meeting, app):
    member = meeting.members[0]
    make = Factories(app)
    phone_token, tablet_token = make.token(member, "điện thoại"), make.token(member, "máy tính bảng")
    phone = socketio.test_client(app, namespace=NAMESPACE, auth={"token": phone_token})
    tablet = socketio.test_client(app, namespace=NAMESPACE, auth={"token": tablet_token})
    browser = app.test_client()
    browser.post("/login", data={"email": member.email, "password": member.password})
    by_cookie = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=browser)
    join(phone, meeting.id)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == token_digest(phone_token)))
    revoked = browser.post(f"/profile/tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    assert not phone.is_connected(NAMESPACE)
    assert tablet.is_connected(NAMESPACE) and by_cookie.is_connected(NAMESPACE)  # its other ways in stay open
    assert not socketio.test_client(app, namespace=NAMESPACE, auth={"token": phone_token}).is_connected(NAMESPACE)


def test_making_the_meeting_confidential_drops_office_secretaries_who_do_not_take_part(meeting, app):
    make = Factories(app)
    admin = make.user("admin")
    headers = {"Authorization": f"Bearer {make.token(admin)}"}
    office_secretary, member = meeting.socket(meeting.secretary), meeting.socket(meeting.members[0])
    assert "state" in join(office_secretary, meeting.id) and "state" in join(member, meeting.id)
    response = meeting.http.patch(f"/api/v1/meetings/{meeting.id}", json={"confidential": True}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    response = meeting.http.post(f"/api/v1/meetings/{meeting.id}/notices", json={"text": "Mật"}, headers=headers)
    assert response.status_code == 201
    assert notices(updates(office_secretary)) == [] and notices(updates(member)) == ["Mật"]
    assert "error" in join(office_secretary, meeting.id)
