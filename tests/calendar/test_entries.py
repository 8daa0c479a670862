"""Entries through the API: the contract's fields, times with offsets, stale edits, cancelling."""


def test_create_returns_the_entry_with_times_in_the_app_zone(client, office):
    response = client.post("/api/v1/events", headers=office.token(office.secretary), json={
        "title": "Họp giao ban", "start": "2026-12-02T01:00:00Z", "end": "2026-12-02T09:00",
        "leader_ids": [office.deputy.id, office.minister.id], "chair_id": office.minister.id,
        "participant_ids": [office.member.id], "room_id": office.room, "location": "Nhà A",
        "online_url": "https://hop.example.vn/1", "preparing_unit": "Văn phòng Bộ", "description": "Ghi chú",
        "visibility": "public", "status": "published"})
    assert response.status_code == 201
    entry = response.json
    assert (entry["start"], entry["end"]) == ("2026-12-02T08:00:00+07:00", "2026-12-02T09:00:00+07:00")
    assert [(leader["id"], leader["role"]) for leader in entry["leaders"]] == [
        (office.minister.id, "chair"), (office.deputy.id, "attend")]
    assert (entry["sequence"], entry["version"], entry["status"]) == (0, 1, "published")
    assert entry["participant_ids"] == [office.member.id] and entry["room_id"] == office.room
    assert entry["preparing_unit"] == "Văn phòng Bộ" and entry["visibility"] == "public"


def test_defaults_and_validation(client, office):
    headers = office.token(office.secretary)
    entry = client.post("/api/v1/events", headers=headers, json={"title": "Nháp", "start": "2026-12-02T08:00",
                                                                 "end": "2026-12-02T09:00"}).json
    assert (entry["visibility"], entry["status"]) == ("internal", "draft")
    bad = client.post("/api/v1/events", headers=headers, json={
        "title": "", "start": "ngày mai", "visibility": "secret", "rrule": "FREQ=SECONDLY"})
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) >= {"title", "start", "visibility", "rrule"}
    backwards = client.post("/api/v1/events", headers=headers, json={
        "title": "Ngược", "start": "2026-12-02T09:00", "end": "2026-12-02T08:00"})
    assert list(backwards.json["error"]["fields"]) == ["end"]


def test_all_day_and_session_entries(client, office):
    headers = office.token(office.secretary)
    trip = client.post("/api/v1/events", headers=headers, json={
        "title": "Công tác Đồng Tháp", "start": "2026-12-03", "end": "2026-12-04", "all_day": True}).json
    assert (trip["start"], trip["end"], trip["all_day"]) == ("2026-12-03T00:00:00+07:00", "2026-12-05T00:00:00+07:00", True)
    afternoon = client.post("/api/v1/events", headers=headers, json={
        "title": "Làm việc", "start": "2026-12-03T00:00", "session": "afternoon"}).json
    assert (afternoon["start"], afternoon["session"]) == ("2026-12-03T13:30:00+07:00", "afternoon")


def test_a_stale_edit_is_refused_with_the_current_entry(client, office):
    event_id = office.book()
    headers = office.token(office.secretary)
    first = client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "Lần một", "version": 1})
    assert first.status_code == 200 and first.json["version"] == 2
    late = client.patch(f"/api/v1/events/{event_id}", headers=headers, json={"title": "Lần hai", "version": 1})
    assert late.status_code == 409
    error = late.json["error"]
    assert error["code"] == "stale"
    assert (error["current"]["title"], error["current"]["version"]) == ("Lần một", 2)
    assert client.get(f"/api/v1/events/{event_id}", headers=headers).json["title"] == "Lần một"


def test_cancel_keeps_the_entry_struck_through_with_the_reason(client, auth, office):
    event_id = office.book()
    headers = office.token(office.secretary)
    cancelled = client.post(f"/api/v1/events/{event_id}/cancel", headers=headers, json={"reason": "Lãnh đạo bận"})
    assert cancelled.status_code == 200
    assert (cancelled.json["status"], cancelled.json["cancel_reason"], cancelled.json["sequence"]) == (
        "cancelled", "Lãnh đạo bận", 1)
    listed = client.get("/api/v1/events?start=2026-12-02&end=2026-12-03", headers=office.token(office.member)).json
    assert listed["events"][0]["status"] == "cancelled"
    auth.login(office.member)
    page = client.get("/schedule/week/2026-W49").get_data(as_text=True)
    assert "status-cancelled" in page and "Lãnh đạo bận" in page


def test_the_cancel_button_asks_first(client, auth, office):
    event_id = office.book()
    auth.login(office.secretary)
    page = client.get(f"/schedule/events/{event_id}").get_data(as_text=True)
    assert f'action="/schedule/events/{event_id}/cancel"' in page and "data-confirm=" in page


def test_every_api_route_is_in_the_openapi_document(app, client):
    documented = client.get("/api/v1/openapi.json").json["paths"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            assert path in documented, path


def test_only_a_leader_can_lead_an_entry(client, office):
    """A member among the leader_ids would get a leader's calendar row; inactive users never could."""
    body = {"title": "Họp giao ban", "start": "2026-12-02T08:00", "leader_ids": [office.member.id]}
    response = client.post("/api/v1/events", headers=office.token(office.secretary), json=body)
    assert response.status_code == 422 and "leader_ids" in response.json["error"]["fields"]
    entry = office.book(leaders=[office.minister])
    response = client.patch(f"/api/v1/events/{entry}", headers=office.token(office.secretary),
                            json={"leader_ids": [office.minister.id, office.secretary.id]})
    assert response.status_code == 422 and "leader_ids" in response.json["error"]["fields"]
    response = client.patch(f"/api/v1/events/{entry}", headers=office.token(office.secretary),
                            json={"leader_ids": [office.deputy.id]})
    assert response.status_code == 200 and response.json["leader_ids"] == [office.deputy.id]
