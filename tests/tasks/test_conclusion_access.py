"""A meeting's conclusions follow the meeting's own rule (dossiers.access.can_see_meeting): a member
who gets 404 on the meeting gets 404 on its conclusions through every door and every method, so a
POST no longer reveals with a 403 that the meeting exists."""
import pytest

from meetings.calendar import services as calendar
from tests.calendar.conftest import NOW
from tests.tasks.test_minutes import RecordedMeeting


@pytest.fixture
def held(app):
    return RecordedMeeting(app)


def sign_in(client, user):
    client.post("/login", data={"email": user.email, "password": user.password})


def test_a_member_who_cannot_see_the_meeting_gets_404_on_its_conclusions(held, client):
    headers = held.token(held.outsider)
    assert client.get(f"/api/v1/meetings/{held.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/meetings/{held.id}/conclusions", headers=headers).status_code == 404
    response = client.post(f"/api/v1/meetings/{held.id}/conclusions", headers=headers, json={"text": "x"})
    assert response.status_code == 404
    sign_in(client, held.outsider)
    assert client.get(f"/tasks/meetings/{held.id}").status_code == 404
    assert client.post(f"/tasks/meetings/{held.id}/conclusions", data={"text": "x"}).status_code == 404
    listed = client.get("/tasks/meetings").get_data(as_text=True)
    assert f"/tasks/meetings/{held.id}\"" not in listed


def test_a_published_meeting_is_still_hidden_from_members_of_the_ministry(held, client):
    """The entry is internal (every member sees it on the calendar), but the meeting is its people's."""
    headers = held.token(held.member)
    assert client.get(f"/api/v1/events/{held.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/meetings/{held.id}/conclusions", headers=headers).status_code == 404


@pytest.mark.parametrize("who", ["legal_staff", "legal_head", "minister", "secretary", "admin"])
def test_participants_leaders_and_managers_read_them(held, client, who):
    user = getattr(held, who)
    listed = client.get(f"/api/v1/meetings/{held.id}/conclusions", headers=held.token(user))
    assert listed.status_code == 200
    assert "Các đơn vị khẩn trương triển khai." in [c["text"] for c in listed.json["conclusions"]]
    sign_in(client, user)
    assert "Các đơn vị khẩn trương triển khai." in client.get(f"/tasks/meetings/{held.id}").get_data(as_text=True)


def test_a_leader_of_the_entry_who_is_not_a_participant_reads_them(held, client):
    headers = held.token(held.deputy)
    assert client.get(f"/api/v1/meetings/{held.id}/conclusions", headers=headers).status_code == 404
    with held.app.app_context():
        calendar.update_event(held.id, {"leader_ids": [held.minister.id, held.deputy.id]},
                              held.user(held.secretary), NOW)
    assert client.get(f"/api/v1/meetings/{held.id}/conclusions", headers=headers).status_code == 200


def test_a_participant_who_may_not_record_is_refused_with_403(held, client):
    """They see the meeting, so refusing them says nothing new."""
    response = client.post(f"/api/v1/meetings/{held.id}/conclusions", headers=held.token(held.legal_head),
                           json={"text": "x"})
    assert response.status_code == 403
