"""A meeting on the leaders' calendars: its chair chairs the entry (chủ trì), its leaders attend (dự);
an existing entry becomes a meeting keeping its id, time, leaders, room and history."""
import pytest
from sqlalchemy import select

from meetings.extensions import db
from meetings.notify.models import OutboxEmail

WEEK = {"start": "2026-11-30", "end": "2026-12-07"}


@pytest.fixture
def deputy(board):
    return board.make.user("leader", name="Lê Văn Hùng", title="Thứ trưởng")


def on_calendar(board, leader_id):
    """Entries on a leader's calendar this week, as the API lists them: {id: [(leader id, role)]}."""
    events = board.get(board.secretary, "/api/v1/events", query_string={**WEEK, "leader_id": leader_id}).json
    return {e["id"]: [(leader["id"], leader["role"]) for leader in e["leaders"]] for e in events["events"]}


def test_the_chair_and_leaders_of_a_new_meeting_stand_on_their_calendars(board, deputy):
    meeting = board.meeting(participants=[{"user_id": board.member.id, "role": "member"}],
                            chair_id=board.chair.id, leader_ids=[deputy.id])
    assert {(p["user_id"], p["role"]) for p in meeting["participants"]} == {
        (board.chair.id, "chair"), (deputy.id, "member"), (board.member.id, "member")}
    expected = [(board.chair.id, "chair"), (deputy.id, "attend")]
    assert on_calendar(board, board.chair.id) == {meeting["id"]: expected}
    assert on_calendar(board, deputy.id) == {meeting["id"]: expected}
    entry = board.get(board.secretary, f"/api/v1/events/{meeting['id']}").json
    assert entry["participant_ids"] == [board.member.id]  # leaders are not listed twice
    page = board.page(board.chair, f"/schedule/leader/{board.chair.id}/week/2026-W49").get_data(as_text=True)
    assert "Họp Ban cán sự Đảng" in page


def test_a_chair_or_leader_who_is_not_a_leader_is_refused(board):
    body = {"title": "Họp", "start": "2026-12-03T14:00", "end": "2026-12-03T15:00", "chair_id": board.member.id}
    response = board.post(board.secretary, "/api/v1/meetings", body)
    assert response.status_code == 422 and "chair_id" in response.json["error"]["fields"]
    response = board.post(board.secretary, "/api/v1/meetings", {**body, "chair_id": None, "leader_ids": [999]})
    assert response.status_code == 422 and "leader_ids" in response.json["error"]["fields"]


def test_a_new_chair_moves_on_the_calendar_and_on_the_record(board, deputy):
    meeting = board.meeting(participants=[], chair_id=board.chair.id, leader_ids=[deputy.id])
    url = f"/api/v1/meetings/{meeting['id']}/participants"
    before = board.get(board.secretary, f"/api/v1/events/{meeting['id']}").json["sequence"]
    assert board.patch(board.secretary, f"{url}/{board.chair.id}", {"role": "member"}).status_code == 200
    assert board.patch(board.secretary, f"{url}/{deputy.id}", {"role": "chair"}).status_code == 200
    assert on_calendar(board, deputy.id) == {meeting["id"]: [(deputy.id, "chair"), (board.chair.id, "attend")]}
    entry = board.get(board.secretary, f"/api/v1/events/{meeting['id']}").json
    assert entry["sequence"] == before + 2  # published: each change goes on the record for the feeds
    history = board.get(board.secretary, f"/api/v1/events/{meeting['id']}/history").json["history"]
    assert [h["field"] for h in history].count("leaders") == 2
    assert board.delete(board.secretary, f"{url}/{deputy.id}").status_code == 204
    assert on_calendar(board, deputy.id) == {}


def test_the_new_meeting_form_takes_a_chair_and_leaders(board, deputy):
    form = board.page(board.secretary, "/meetings/new").get_data(as_text=True)
    assert 'name="chair_id"' in form and 'name="leader_ids"' in form and "Lê Văn Hùng" in form
    browser = board._tokens[("page", board.secretary.id)]
    token = browser.get("/meetings/new").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = browser.post("/meetings/new", data={
        "csrf_token": token, "title": "Giao ban Lãnh đạo Bộ", "date": "2026-12-04", "start_time": "08:00",
        "end_time": "09:30", "chair_id": str(board.chair.id), "leader_ids": [str(deputy.id)]})
    assert response.status_code == 302
    [meeting_id] = on_calendar(board, deputy.id)
    assert on_calendar(board, board.chair.id)[meeting_id] == [(board.chair.id, "chair"), (deputy.id, "attend")]
    refused = browser.post("/meetings/new", data={"csrf_token": token, "title": "Họp", "date": "2026-12-04",
                                                 "chair_id": str(board.member.id)})
    assert refused.status_code == 422 and "lãnh đạo" in refused.get_data(as_text=True)


def entry(board, room="Phòng họp số 1", **extra):
    body = {"title": "Làm việc với Vụ Pháp chế", "start": "2026-12-03T14:00", "end": "2026-12-03T16:00",
            "leader_ids": [board.chair.id], "chair_id": board.chair.id, "participant_ids": [board.member.id],
            "room_id": board.make.room(room), "status": "published", **extra}
    response = board.post(board.secretary, "/api/v1/events", body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_entry_becomes_a_meeting_keeping_its_id_time_leaders_room_and_history(board):
    event = entry(board)
    before = board.get(board.secretary, f"/api/v1/events/{event['id']}/history").json["history"]
    response = board.post(board.secretary, f"/api/v1/events/{event['id']}/meeting")
    assert response.status_code == 201, response.json
    meeting = response.json
    assert meeting["id"] == event["id"] and meeting["start"] == event["start"] and meeting["room"] == "Phòng họp số 1"
    assert meeting["status"] == "published"
    assert {(p["user_id"], p["role"]) for p in meeting["participants"]} == {
        (board.chair.id, "chair"), (board.member.id, "member")}
    assert on_calendar(board, board.chair.id) == {event["id"]: [(board.chair.id, "chair")]}
    history = board.get(board.secretary, f"/api/v1/events/{event['id']}/history").json["history"]
    assert history[:len(before)] == before or history[-len(before):] == before
    assert "meeting" in [h["field"] for h in history]
    kinds = [n["kind"] for n in board.get(board.member, "/api/v1/me/notifications").json["notifications"]]
    assert kinds == ["meeting_published"]  # a published entry's people are invited to the meeting at once


def test_turning_an_entry_into_a_meeting_is_refused_clearly(board):
    event = entry(board)
    assert board.post(board.member, f"/api/v1/events/{event['id']}/meeting").status_code == 403
    assert board.post(board.secretary, "/api/v1/events/9999/meeting").status_code == 404
    assert board.post(board.secretary, f"/api/v1/events/{event['id']}/meeting").status_code == 201
    again = board.post(board.secretary, f"/api/v1/events/{event['id']}/meeting")
    assert again.status_code == 409 and again.json["error"]["message"]
    cancelled = entry(board, room="Phòng họp số 2", start="2026-12-04T14:00", end="2026-12-04T15:00")
    board.post(board.secretary, f"/api/v1/events/{cancelled['id']}/cancel", {"reason": "Hoãn"})
    refused = board.post(board.secretary, f"/api/v1/events/{cancelled['id']}/meeting")
    assert refused.status_code == 422 and "status" in refused.json["error"]["fields"]
    series = entry(board, room="Phòng họp số 3", start="2026-12-07T14:00", end="2026-12-07T15:00", rrule="FREQ=WEEKLY;COUNT=4")
    assert board.post(board.secretary, f"/api/v1/events/{series['id']}/meeting").status_code == 422


def test_the_entry_page_offers_the_meeting_to_secretaries_only(board):
    event = entry(board, status="draft")
    page = board.page(board.secretary, f"/schedule/events/{event['id']}").get_data(as_text=True)
    assert f'action="/meetings/from-entry/{event["id"]}"' in page
    assert "from-entry" not in board.page(board.member, f"/schedule/events/{event['id']}").get_data(as_text=True)
    browser = board._tokens[("page", board.secretary.id)]
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = browser.post(f"/meetings/from-entry/{event['id']}", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/meetings/{event['id']}")
    page = board.page(board.secretary, f"/schedule/events/{event['id']}").get_data(as_text=True)
    assert f'href="/meetings/{event["id"]}"' in page and "from-entry" not in page
    again = browser.post(f"/meetings/from-entry/{event['id']}", data={"csrf_token": token}, follow_redirects=True)
    assert "đã là một cuộc họp" in again.get_data(as_text=True)



def test_a_role_given_in_participants_wins_over_being_listed_as_a_leader(board):
    meeting = board.meeting(leader_ids=[board.chair.id])  # the chair also comes in participants as chair
    assert {(p["user_id"], p["role"]) for p in meeting["participants"]} >= {(board.chair.id, "chair")}
    assert on_calendar(board, board.chair.id) == {meeting["id"]: [(board.chair.id, "chair")]}


def test_leaders_edited_on_the_calendar_are_followed_by_the_meeting(board, deputy):
    meeting = board.meeting(participants=[{"user_id": board.member.id, "role": "member"}], chair_id=board.chair.id)
    url = f"/api/v1/events/{meeting['id']}"
    edited = board.patch(board.secretary, url, {"leader_ids": [board.chair.id, deputy.id], "chair_id": deputy.id})
    assert edited.status_code == 200, edited.json
    people = board.get(board.secretary, f"/api/v1/meetings/{meeting['id']}").json["participants"]
    assert {(p["user_id"], p["role"]) for p in people} == {
        (board.chair.id, "member"), (deputy.id, "chair"), (board.member.id, "member")}
    assert "meeting_published" in [n["kind"] for n in board.get(deputy, "/api/v1/me/notifications").json[
        "notifications"]]
    with board.app.app_context():  # invited once: the meeting's invitation, not the calendar's as well
        invitations = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == deputy.email,
                                                                   OutboxEmail.calendar_method == "REQUEST")).all()
        assert len(invitations) == 1
    # A later change from the meeting's side keeps the calendar's edit.
    board.post(board.secretary, f"/api/v1/meetings/{meeting['id']}/participants",
               {"participants": [{"user_id": board.other_member.id, "role": "member"}]})
    assert on_calendar(board, deputy.id) == {meeting["id"]: [(deputy.id, "chair"), (board.chair.id, "attend")]}
    board.patch(board.secretary, url, {"leader_ids": [deputy.id], "chair_id": deputy.id})
    people = board.get(board.secretary, f"/api/v1/meetings/{meeting['id']}").json["participants"]
    assert board.chair.id not in [p["user_id"] for p in people]
