"""Every field people read is on the record: one history row per changed field with labels in the
reader's language, SEQUENCE and the week's revision raised, and the changes view listing it."""
import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from meetings.directory.models import User
from meetings.extensions import db
from meetings.notify.models import OutboxEmail


def _published(office, **extra) -> int:
    return office.book(title="Họp giao ban", start="2026-12-03T08:00", end="2026-12-03T09:00", room_id=office.room,
                       online_url="https://hop.example.gov.vn/giao-ban", **extra)


def _patch(client, office, event_id, body):
    headers = office.token(office.secretary)
    version = client.get(f"/api/v1/events/{event_id}", headers=headers).json["version"]
    response = client.patch(f"/api/v1/events/{event_id}", headers=headers, json={**body, "version": version})
    assert response.status_code == 200, response.json
    return response.json


def _history(client, office, event_id, user=None):
    rows = client.get(f"/api/v1/events/{event_id}/history", headers=office.token(user or office.secretary)).json
    return [row for row in rows["history"] if row["field"] != "created"]


def test_a_change_of_room_alone_is_on_the_record(client, office):
    event_id = _published(office)
    headers = office.token(office.secretary)
    client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    revision = client.get("/api/v1/weeks/2026-W49", headers=headers).json["revision"]

    entry = _patch(client, office, event_id, {"room_id": office.other_room})

    assert entry["sequence"] == 1
    rows = _history(client, office, event_id)
    assert [(r["field"], r["old"], r["new"]) for r in rows] == [("room", str(office.room), str(office.other_room))]
    assert (rows[0]["old_label"], rows[0]["new_label"]) == ("Phòng họp số 1", "Phòng họp số 2")
    assert rows[0]["by"] == "Hoàng Thu Trang" and rows[0]["at"] == "2026-12-02T10:00:00+07:00"
    week = client.get(f"/api/v1/weeks/2026-W49/changes?since={revision}", headers=headers).json
    assert week["revision"] == revision + 1
    fields = week["changes"][0]["entries"][0]["fields"]
    assert [(f["field"], f["old_label"], f["new_label"]) for f in fields] == [
        ("room", "Phòng họp số 1", "Phòng họp số 2")]


def test_time_and_room_together_list_both(client, office):
    event_id = _published(office)
    _patch(client, office, event_id, {"start": "2026-12-08T14:00", "end": "2026-12-08T15:00",
                                      "room_id": office.other_room})
    rows = {r["field"]: r for r in _history(client, office, event_id)}
    assert set(rows) == {"start", "end", "room"}
    assert (rows["start"]["old_label"], rows["start"]["new_label"]) == ("Thứ Năm, 03/12/2026 08:00",
                                                                        "Thứ Ba, 08/12/2026 14:00")
    assert rows["start"]["new"] == "2026-12-08T14:00:00+07:00"  # the raw value stays machine-readable
    assert rows["room"]["new_label"] == "Phòng họp số 2"
    changes = client.get("/api/v1/weeks/2026-W50/changes?since=0", headers=office.token(office.secretary)).json
    assert changes["changes"] == []  # week 50 was never published: nothing to revise


@pytest.mark.parametrize("body, field", [
    ({"title": "Họp giao ban tuần"}, "title"),
    ({"description": "Chuẩn bị báo cáo"}, "description"),
    ({"location": "Tầng 3"}, "location"),
    ({"online_url": "https://hop.example.gov.vn/khac"}, "online_url"),
    ({"preparing_unit": "Vụ Tổng hợp"}, "preparing_unit"),
    ({"visibility": "public"}, "visibility"),
    ({"status": "cancelled"}, "status"),
    ({"guests": "Đại sứ Hà Lan"}, "guests"),
    ("leaders", "leaders"),
    ("participants", "participants"),
    ("units", "units"),
])
def test_each_field_people_read_makes_one_row_and_raises_the_sequence(client, office, body, field):
    event_id = _published(office, leaders=[office.minister, office.deputy], chair_id=office.minister.id)
    if isinstance(body, str):  # people and units exist only once the office does
        body = {"leaders": {"leader_ids": [office.minister.id, office.deputy.id], "chair_id": office.deputy.id},
                "participants": {"participant_ids": [office.member.id]},
                "units": {"participant_unit_ids": [office.ministry]}}[body]
    entry = _patch(client, office, event_id, body)
    assert entry["sequence"] == 1
    rows = _history(client, office, event_id)
    assert [r["field"] for r in rows] == [field]
    assert rows[0]["new_label"] and not re.search(r"\d{4}-\d\d-\d\dT", rows[0]["new_label"])


def test_labels_name_people_roles_and_states_in_the_readers_language(client, office):
    event_id = _published(office, leaders=[office.minister, office.deputy], chair_id=office.minister.id)
    _patch(client, office, event_id, {"leader_ids": [office.minister.id, office.deputy.id],
                                      "chair_id": office.deputy.id, "visibility": "confidential"})
    rows = {r["field"]: r for r in _history(client, office, event_id)}
    assert rows["leaders"]["new_label"] == "Thứ trưởng Lê Thị Hoa (chủ trì); Bộ trưởng Nguyễn Văn Minh (dự)"
    assert (rows["visibility"]["old_label"], rows["visibility"]["new_label"]) == ("Nội bộ (cán bộ, công chức)", "Mật")
    english = office.factories.user("secretary", name="Anna Berg")
    with office.app.app_context():  # chosen on the profile page, which these tests do not drive
        db.session.get(User, english.id).locale = "en"
        db.session.commit()
    rows = {r["field"]: r for r in _history(client, office, event_id, english)}
    assert rows["leaders"]["field_label"] == "Leaders"
    assert rows["leaders"]["new_label"].endswith("Nguyễn Văn Minh (attends)")
    assert rows["visibility"]["new_label"] == "Confidential"


def test_the_entry_page_and_the_changes_view_show_words_not_codes(client, auth, office):
    event_id = _published(office)
    headers = office.token(office.secretary)
    client.post("/api/v1/weeks/2026-W49/publish", headers=headers, json={})
    _patch(client, office, event_id, {"start": "2026-12-08T14:00", "end": "2026-12-08T15:00",
                                      "room_id": office.other_room, "status": "cancelled"})
    auth.login(office.secretary)
    for url in (f"/schedule/events/{event_id}", "/schedule/week/2026-W49/changes?since=1"):
        page = client.get(url).get_data(as_text=True)
        history = page[page.index("history-table"):]
        assert "Phòng họp số 1" in history and "Phòng họp số 2" in history, url
        assert "Thời gian bắt đầu" in history and "Thứ Ba, 08/12/2026 14:00" in history, url
        assert "Đã hủy" in history and "Đã công bố" in history, url
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d|>(room|start|status|published)<", history), url
    event_page = client.get(f"/schedule/events/{event_id}").get_data(as_text=True)
    assert "Đã hủy" in event_page[:event_page.index("history-table")]  # the facts, not "cancelled · internal"


def test_an_edit_that_moves_nothing_is_not_refused_for_a_standing_conflict(client, office):
    headers = office.token(office.secretary)
    first = office.book(title="A", start="2026-12-03T08:00", end="2026-12-03T10:00", room_id=office.room)
    office.book(title="B", start="2026-12-03T09:00", end="2026-12-03T11:00", room_id=office.room,
                allow_conflict=True)
    version = client.get(f"/api/v1/events/{first}", headers=headers).json["version"]
    renamed = client.patch(f"/api/v1/events/{first}", headers=headers, json={"title": "A mới", "version": version})
    assert renamed.status_code == 200 and renamed.json["title"] == "A mới"
    described = client.patch(f"/api/v1/events/{first}", headers=headers,
                             json={"description": "Ghi chú", "start": "2026-12-03T08:00", "end": "2026-12-03T10:00"})
    assert described.status_code == 200  # the same times sent again move nothing
    moved = client.patch(f"/api/v1/events/{first}", headers=headers,
                         json={"start": "2026-12-03T08:30", "end": "2026-12-03T10:30"})
    assert moved.status_code == 409 and moved.json["error"]["code"] == "conflict"
    forced = client.patch(f"/api/v1/events/{first}", headers=headers,
                          json={"start": "2026-12-03T08:30", "end": "2026-12-03T10:30", "allow_conflict": True})
    assert forced.status_code == 200


def test_overlapping_drafts_are_flagged_when_saved_and_unflagged_when_moved(client, office):
    headers = office.token(office.secretary)
    first = office.book(title="Nháp 1", status="draft", start="2026-12-08T08:00", end="2026-12-08T09:00")
    assert client.get(f"/api/v1/events/{first}", headers=headers).json["has_conflict"] is False
    second = client.post("/api/v1/events", headers=headers, json={
        "title": "Nháp 2", "start": "2026-12-08T08:30", "end": "2026-12-08T09:30", "status": "draft",
        "leader_ids": [office.minister.id]})
    assert second.status_code == 201
    assert second.json["has_conflict"] is True and second.json["conflicts"][0]["event_id"] == first
    assert client.get(f"/api/v1/events/{first}", headers=headers).json["has_conflict"] is True
    client.patch(f"/api/v1/events/{second.json['id']}", headers=headers,
                 json={"start": "2026-12-08T10:00", "end": "2026-12-08T11:00"})
    flags = [client.get(f"/api/v1/events/{i}", headers=headers).json["has_conflict"] for i in (first, second.json["id"])]
    assert flags == [False, False]


def test_publishing_a_week_with_overlaps_refuses_and_marks_the_rows(client, auth, office):
    first = office.book(title="Nháp 1", status="draft", start="2026-12-08T08:00", end="2026-12-08T09:00")
    second = office.book(title="Nháp 2", status="draft", start="2026-12-08T08:30", end="2026-12-08T09:30")
    apart = office.book(title="Nháp riêng", status="draft", start="2026-12-09T08:00", end="2026-12-09T09:00")
    auth.login(office.secretary)
    week = client.get("/schedule/week/2026-W50").get_data(as_text=True)
    marked = set(re.findall(r'data-event-id="(\d+)" data-overlap', week))
    assert marked == {str(first), str(second)}
    refused = client.post("/schedule/week/2026-W50/publish", data={})
    assert refused.status_code == 302 and f"conflicts={first},{second}" in refused.location
    page = client.get(refused.location).get_data(as_text=True)
    assert "Có 2 sự kiện dự thảo bị trùng lịch" in page and 'name="allow_conflict"' in page
    panel = page[page.index("data-overlaps"):page.index("week-table")]
    assert f"/schedule/events/{first}" in panel and f"/schedule/events/{second}" in panel
    assert f"/schedule/events/{apart}" not in panel
    assert client.get("/api/v1/weeks/2026-W50", headers=office.token(office.secretary)).json["status"] == "draft"


def test_saving_an_overlapping_draft_in_the_form_warns(client, auth, office):
    office.book(title="Họp giao ban", status="draft", start="2026-12-08T08:00", end="2026-12-08T09:00")
    auth.login(office.secretary)
    saved = client.post("/schedule/events/new", data={
        "title": "Tiếp khách", "date": "2026-12-08", "start_time": "08:30", "end_time": "09:30",
        "leader_ids": [office.minister.id], "kind": "meeting", "visibility": "internal", "status": "draft"},
        follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "flash-warning" in page and "Họp giao ban" in page


def test_a_room_move_reaches_invitations_and_the_feed(app, client, office):
    event_id = _published(office, participant_ids=[office.member.id])
    _patch(client, office, event_id, {"room_id": office.other_room})
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == office.member.email)
                                    .order_by(OutboxEmail.id.desc()).limit(1))
        assert "Phòng họp số 2" in mail.body_text and "Phòng họp số 1" not in mail.body_text
        assert "LOCATION:Phòng họp số 2" in mail.calendar_ics.replace("\r\n ", "")
    token = office.token(office.member)
    url = client.get("/api/v1/me/feeds", headers=token).json["personal"]["url"].removeprefix("http://localhost")
    [in_feed] = Calendar.from_ical(client.get(url).data).walk("VEVENT")
    assert str(in_feed["location"]).startswith("Phòng họp số 2") and in_feed["sequence"] == 1


def test_a_change_of_repeat_rule_reads_in_words(client, office):
    event_id = _published(office, rrule="FREQ=WEEKLY;COUNT=8")
    _patch(client, office, event_id, {"rrule": "FREQ=WEEKLY;INTERVAL=2;COUNT=4"})
    rows = {r["field"]: r for r in _history(client, office, event_id)}
    assert (rows["rrule"]["old_label"], rows["rrule"]["new_label"]) == (
        "Hằng tuần vào Thứ Năm, 8 lần", "2 tuần một lần vào Thứ Năm, 4 lần")
