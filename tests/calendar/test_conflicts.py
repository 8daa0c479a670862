"""A leader or a room is never in two overlapping published entries, whoever saves and however."""
import threading

import pytest

from meetings.calendar import services
from meetings.calendar.models import Event, EventChange
from meetings.directory import services as directory
from meetings.errors import Conflict
from meetings.extensions import db
from tests.calendar.conftest import NOW


def test_overlap_for_a_leader_is_refused_with_the_conflict(client, office):
    first = office.book(start="2026-12-03T08:00", end="2026-12-03T10:00")
    response = client.post("/api/v1/events", headers=office.token(office.secretary), json={
        "title": "Tiếp khách", "start": "2026-12-03T09:30", "end": "2026-12-03T11:00",
        "leader_ids": [office.minister.id], "status": "published"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "conflict"
    assert error["conflicts"] == [{"event_id": first, "start": "2026-12-03T08:00:00+07:00",
                                   "end": "2026-12-03T10:00:00+07:00", "leader_id": office.minister.id}]


def test_overlap_for_a_room_is_refused_but_touching_entries_are_fine(client, office):
    office.book(start="2026-12-03T08:00", end="2026-12-03T10:00", leaders=[], room_id=office.room)
    headers = office.token(office.secretary)
    clash = client.post("/api/v1/events", headers=headers, json={
        "title": "Họp khác", "start": "2026-12-03T09:00", "end": "2026-12-03T09:30", "room_id": office.room,
        "status": "published"})
    assert clash.status_code == 409
    assert clash.json["error"]["conflicts"][0]["room_id"] == office.room
    after = client.post("/api/v1/events", headers=headers, json={
        "title": "Họp sau", "start": "2026-12-03T10:00", "end": "2026-12-03T11:00", "room_id": office.room,
        "status": "published"})
    assert after.status_code == 201


def test_a_draft_is_flagged_not_refused(client, office):
    first = office.book(start="2026-12-03T08:00", end="2026-12-03T10:00")
    response = client.post("/api/v1/events", headers=office.token(office.secretary), json={
        "title": "Nháp", "start": "2026-12-03T09:00", "end": "2026-12-03T09:30", "leader_ids": [office.minister.id]})
    assert response.status_code == 201
    assert response.json["status"] == "draft"
    assert response.json["has_conflict"] is True
    assert [c["event_id"] for c in response.json["conflicts"]] == [first]


def test_an_explicit_override_is_allowed_and_recorded(app, client, office):
    office.book(start="2026-12-03T08:00", end="2026-12-03T10:00")
    response = client.post("/api/v1/events", headers=office.token(office.secretary), json={
        "title": "Bắt buộc", "start": "2026-12-03T09:00", "end": "2026-12-03T09:30", "status": "published",
        "leader_ids": [office.minister.id], "allow_conflict": True})
    assert response.status_code == 201
    history = client.get(f"/api/v1/events/{response.json['id']}/history", headers=office.token(office.secretary))
    assert "conflict_override" in [row["field"] for row in history.json["history"]]


def test_a_recurring_series_conflicts_in_its_later_weeks(client, office):
    series = office.book(title="Giao ban tuần", start="2026-11-30T08:00", end="2026-11-30T09:00",
                         rrule="FREQ=WEEKLY;COUNT=10")
    headers = office.token(office.secretary)
    # Three weeks later, a Monday 08:30 meeting for the same leader meets the series' 4th occurrence.
    response = client.post("/api/v1/events", headers=headers, json={
        "title": "Họp đột xuất", "start": "2026-12-21T08:30", "end": "2026-12-21T09:30",
        "leader_ids": [office.minister.id], "status": "published"})
    assert response.status_code == 409
    assert response.json["error"]["conflicts"][0] == {
        "event_id": series, "start": "2026-12-21T08:00:00+07:00", "end": "2026-12-21T09:00:00+07:00",
        "leader_id": office.minister.id}
    # The other way round: a new series running into an existing single entry.
    office.book(title="Hội nghị", start="2027-01-13T08:00", end="2027-01-13T12:00", leaders=[office.deputy])
    response = client.post("/api/v1/events", headers=headers, json={
        "title": "Họp thứ Tư", "start": "2026-12-02T09:00", "end": "2026-12-02T10:00", "rrule": "FREQ=WEEKLY",
        "leader_ids": [office.deputy.id], "status": "published"})
    assert response.status_code == 409
    assert response.json["error"]["conflicts"][0]["start"] == "2027-01-13T08:00:00+07:00"


def test_a_cancelled_occurrence_frees_its_slot(client, office):
    office.book(title="Giao ban tuần", start="2026-11-30T08:00", end="2026-11-30T09:00", rrule="FREQ=WEEKLY;COUNT=10")
    headers = office.token(office.secretary)
    series_id = client.get("/api/v1/events?start=2026-12-07&end=2026-12-08", headers=headers).json["events"][0]["id"]
    cancel = client.patch(f"/api/v1/events/{series_id}/occurrences/2026-12-07T08:00:00+07:00", headers=headers,
                          json={"cancelled": True})
    assert cancel.status_code == 200
    response = client.post("/api/v1/events", headers=headers, json={
        "title": "Thay thế", "start": "2026-12-07T08:00", "end": "2026-12-07T09:00",
        "leader_ids": [office.minister.id], "status": "published"})
    assert response.status_code == 201


def test_two_secretaries_saving_at_once_cannot_both_double_book(app, office, monkeypatch):
    """Each writer checks, then waits for the other to have checked too. Without the lock both
    would pass the check and both save; with it the second one waits and then sees the first."""
    real_check = services.find_conflicts
    barrier = threading.Barrier(2, timeout=0.5)

    def check_then_meet(*args, **kwargs):
        found = real_check(*args, **kwargs)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other writer is blocked on the lock: exactly what should happen
        return found

    monkeypatch.setattr(services, "find_conflicts", check_then_meet)
    outcomes = []

    def save(title):
        with app.app_context():
            actor = directory.get_user(office.secretary.id)
            try:
                services.create_event({"title": title, "start": "2026-12-04T08:00", "end": "2026-12-04T09:00",
                                       "leader_ids": [office.minister.id], "status": "published"}, actor, NOW)
                outcomes.append("saved")
            except Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Họp A", "Họp B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    with app.app_context():
        assert db.session.query(Event).filter(Event.status == "published").count() == 1


@pytest.mark.parametrize("field", ["leader_ids", "room_id"])
def test_moving_an_entry_onto_another_is_refused(client, office, field):
    extra = {"room_id": office.room, "leaders": []} if field == "room_id" else {}
    office.book(start="2026-12-03T08:00", end="2026-12-03T09:00", **extra)
    other = office.book(title="Sau đó", start="2026-12-03T10:00", end="2026-12-03T11:00", **extra)
    headers = office.token(office.secretary)
    version = client.get(f"/api/v1/events/{other}", headers=headers).json["version"]
    moved = client.patch(f"/api/v1/events/{other}", headers=headers,
                         json={"start": "2026-12-03T08:30", "end": "2026-12-03T09:30", "version": version})
    assert moved.status_code == 409
    assert moved.json["error"]["code"] == "conflict"


def test_history_of_a_published_entry(app, client, office):
    event_id = office.book()
    headers = office.token(office.secretary)
    client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "Họp giao ban tháng", "version": 1})
    entry = client.get(f"/api/v1/events/{event_id}", headers=headers).json
    assert (entry["sequence"], entry["version"]) == (1, 2)
    with app.app_context():
        change = db.session.query(EventChange).filter_by(event_id=event_id, field="title").one()
        assert (change.old, change.new, change.user_id) == ("Họp giao ban", "Họp giao ban tháng", office.secretary.id)
