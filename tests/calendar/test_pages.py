"""The secretary's fast form, duplicates, copying last week; the leader's tablet page."""
from datetime import timedelta

from meetings.calendar.models import Event, LastSeen
from meetings.extensions import db
from tests.calendar.conftest import NOW


def test_the_form_creates_an_entry_and_can_go_straight_to_the_next(client, auth, office):
    auth.login(office.secretary)
    response = client.post("/schedule/events/new", data={
        "title": "Họp Ban soạn thảo", "date": "2026-12-03", "start_time": "09:00", "end_time": "11:00",
        "leader_ids": [str(office.deputy.id)], "room_id": str(office.room), "visibility": "internal",
        "kind": "meeting", "status": "draft", "then": "new"})
    assert response.status_code == 302
    assert "/schedule/events/new?date=2026-12-03" in response.headers["Location"]
    with client.application.app_context():
        event = db.session.query(Event).one()
        assert (event.title, event.leader_ids, event.room_id) == ("Họp Ban soạn thảo", [office.deputy.id], office.room)


def test_the_form_shows_conflicts_and_lets_the_secretary_override(client, auth, office):
    office.book(start="2026-12-03T09:00", end="2026-12-03T10:00")
    auth.login(office.secretary)
    form = {"title": "Trùng", "date": "2026-12-03", "start_time": "09:30", "end_time": "10:30",
            "leader_ids": [str(office.minister.id)], "status": "published", "visibility": "internal", "kind": "meeting"}
    refused = client.post("/schedule/events/new", data=form)
    assert refused.status_code == 409 and "data-conflicts" in refused.get_data(as_text=True)
    assert client.post("/schedule/events/new", data={**form, "allow_conflict": "on"}).status_code == 302


def test_session_only_entry_from_the_form(client, auth, office):
    auth.login(office.secretary)
    client.post("/schedule/events/new", data={"title": "Làm việc", "date": "2026-12-03", "session": "afternoon",
                                              "status": "draft", "visibility": "internal", "kind": "working"})
    with client.application.app_context():
        assert db.session.query(Event).one().session == "afternoon"


def test_duplicate_prefills_the_form(client, auth, office):
    event_id = office.book(title="Tiếp khách quốc tế", room_id=office.room)
    auth.login(office.secretary)
    page = client.get(f"/schedule/events/new?duplicate={event_id}").get_data(as_text=True)
    assert 'value="Tiếp khách quốc tế"' in page and 'value="2026-12-02"' in page


def test_copy_last_weeks_regular_entries(client, auth, office):
    office.book(title="Giao ban", start="2026-11-16T08:00", end="2026-11-16T09:00")
    office.book(title="Giao ban", start="2026-11-23T08:00", end="2026-11-23T09:00")
    office.book(title="Một lần", start="2026-11-24T08:00", end="2026-11-24T09:00")
    auth.login(office.secretary)
    page = client.get("/schedule/week/2026-W49/copy").get_data(as_text=True)
    assert page.count("checked") == 1  # only the habitual one is ticked
    with client.application.app_context():
        habitual = db.session.query(Event).filter_by(start_at=NOW.replace(day=23, month=11, hour=1)).one().id
    client.post("/schedule/week/2026-W49/copy", data={"event_ids": [str(habitual)]})
    with client.application.app_context():
        copy = db.session.query(Event).filter_by(status="draft").one()
        assert (copy.title, copy.start_at) == ("Giao ban", NOW.replace(day=30, month=11, hour=1))


def test_the_leader_page_marks_changes_since_the_last_look(client, auth, office, app):
    headers = office.token(office.secretary)
    earlier = NOW - timedelta(hours=2)
    event_id = office.book(title="Họp giao ban", start="2026-12-02T14:00", end="2026-12-02T15:00", now=earlier)
    office.book(title="Sáng mai", start="2026-12-03T08:00", end="2026-12-03T09:00", now=earlier)
    auth.login(office.minister)
    url = f"/schedule/leader/{office.minister.id}"
    first = client.get(url).get_data(as_text=True)
    assert "data-changed" not in first  # nothing to compare with on the first look
    assert 'data-today' in first and "data-next-entry" in first
    with app.app_context():  # the reader looked an hour before the secretary's change
        db.session.query(LastSeen).update({"seen_at": NOW - timedelta(hours=1)})
        db.session.commit()
    client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"location": "Hội trường"})
    page = client.get(url).get_data(as_text=True)
    assert page.count("data-changed") == 1
    assert client.get(url).get_data(as_text=True).count("data-changed") == 0  # seen now


def test_rooms_and_my_schedule(client, auth, office):
    office.book(title="Họp phòng 1", room_id=office.room, participant_ids=[office.member.id])
    office.book(title="Không liên quan", start="2026-12-04T08:00", end="2026-12-04T09:00", leaders=[office.deputy])
    auth.login(office.member)
    rooms = client.get("/schedule/rooms").get_data(as_text=True)
    assert "Phòng họp số 1" in rooms and "Họp phòng 1" in rooms
    mine = client.get("/schedule/mine").get_data(as_text=True)
    assert "Họp phòng 1" in mine and "Không liên quan" not in mine


def test_the_calendar_is_in_the_main_navigation(client, auth, office):
    auth.login(office.member)
    assert 'href="/schedule/week"' in client.get("/").get_data(as_text=True)


def test_the_schedule_stamp_changes_with_any_entry_and_needs_a_signed_in_reader(client, auth, office):
    assert client.get("/schedule/stamp").status_code in (302, 401)  # anonymous: to the sign-in page
    auth.login(office.member)
    first = client.get("/schedule/stamp").get_json()["stamp"]
    assert client.get("/schedule/stamp").get_json()["stamp"] == first  # nothing changed, nothing to reload
    page = client.get("/schedule/week/2026-W49").get_data(as_text=True)
    assert f'data-stamp="{first}"' in page  # the stamp the page was drawn at, to compare on reconnecting
    office.book(title="Làm việc với Tỉnh ủy", start="2026-12-10T08:00", end="2026-12-10T09:00")  # another week
    assert client.get("/schedule/stamp").get_json()["stamp"] != first
