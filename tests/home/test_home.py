"""The home page ("Hôm nay") for each role: the leader's day, the secretary's preparations, a member's own."""
from datetime import datetime, timezone

import pytest

from meetings.dossiers.models import Document, Meeting
from meetings.extensions import db
from meetings.realtime import NAMESPACE
from tests.live.conftest import LiveMeeting

DURING = datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)  # 14:30 in Hà Nội: the meeting is on
BEFORE = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00, the meeting is at 14:00


@pytest.fixture
def app(make_app):
    return make_app(MEETINGS_FAKE_NOW=BEFORE)


@pytest.fixture
def meeting(app):
    found = LiveMeeting(app)
    with app.app_context():
        record = db.session.get(Meeting, found.id)
        record.documents.append(Document(title="Tờ trình dự toán", audience="all", pages=2, current_version=1))
        db.session.commit()
    return found


def home_of(app, user) -> str:
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": user.password})
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_leader_sees_the_meeting_in_progress_with_the_way_in(app, meeting):
    app.config["MEETINGS_FAKE_NOW"] = DURING
    page = home_of(app, meeting.chair)
    assert "Vào phòng họp" in page and f'href="/meetings/{meeting.id}/live"' in page
    assert "đang diễn ra" in page


def test_before_the_meeting_the_leader_sees_it_next_with_its_unread_documents(app, meeting):
    page = home_of(app, meeting.chair)
    assert "Vào phòng họp" not in page
    assert "Tờ trình dự toán" in page and 'data-unread="1"' in page
    assert "tiếp theo" in page


def test_an_open_vote_waits_for_my_ballot_until_i_cast_it(app, meeting):
    app.config["MEETINGS_FAKE_NOW"] = DURING
    vote = meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/votes",
                        {"question": "Thông qua dự thảo?"}, expect=201)
    member = meeting.members[0]
    assert "Thông qua dự thảo?" in home_of(app, member)
    meeting.call(member, "POST", f"/api/v1/votes/{vote['id']}/ballot", {"choice": "yes"})
    assert "Thông qua dự thảo?" not in home_of(app, member)
    assert "Thông qua dự thảo?" not in home_of(app, meeting.guest)  # guests do not vote


def test_the_secretary_sees_the_weeks_and_what_each_meeting_still_lacks(app, meeting):
    page = home_of(app, meeting.secretary)
    assert "Cuộc họp đang chuẩn bị" in page and f'data-preparing="{meeting.id}"' in page
    assert "chưa trả lời" in page and "chưa có tài liệu" in page
    assert "Tuần này" in page and "Tuần sau" in page
    assert "Lịch của tôi" not in page


def test_a_member_sees_their_meetings_and_tasks_and_nothing_of_the_office(app, meeting):
    page = home_of(app, meeting.members[0])
    assert "Cuộc họp sắp tới của tôi" in page and "Họp giao ban Bộ" in page
    assert "Nhiệm vụ của tôi" in page and "Cuộc họp đang chuẩn bị" not in page
    assert "Họp giao ban Bộ" not in home_of(app, meeting.outsider)


def test_changes_to_my_schedule_show_until_i_mark_them_seen(app, meeting):
    chair = meeting.chair
    client = app.test_client()
    client.post("/login", data={"email": chair.email, "password": chair.password})
    assert "không thay đổi" in client.get("/").get_data(as_text=True)  # the first visit starts the marker
    app.config["MEETINGS_FAKE_NOW"] = BEFORE.replace(hour=4)
    meeting.call(meeting.secretary, "PATCH", f"/api/v1/events/{meeting.id}",
                 {"start": "2026-12-02T15:00", "end": "2026-12-02T17:00"})
    page = client.get("/").get_data(as_text=True)
    assert f'data-changed-entry="{meeting.id}"' in page
    assert client.post("/home/seen").status_code == 302
    assert f'data-changed-entry="{meeting.id}"' not in client.get("/home/sections").get_data(as_text=True)


def test_the_home_watches_only_meetings_its_user_may_see(app, meeting):

    watcher = meeting.socket(meeting.members[0])
    ack = watcher.emit("watch_meetings", {"meeting_ids": [meeting.id, "x", 2**70]}, namespace=NAMESPACE,
                       callback=True)
    assert ack == {"watching": [meeting.id]}
    outsider = meeting.socket(meeting.outsider)
    assert outsider.emit("watch_meetings", {"meeting_ids": [meeting.id]}, namespace=NAMESPACE,
                         callback=True) == {"watching": []}
    assert "error" in outsider.emit("watch_meetings", "nonsense", namespace=NAMESPACE, callback=True)
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/votes", {"question": "Q?"}, expect=201)
    assert any(p["name"] == "meeting_update" for p in watcher.get_received(NAMESPACE))
    assert not any(p["name"] == "meeting_update" for p in outsider.get_received(NAMESPACE))
