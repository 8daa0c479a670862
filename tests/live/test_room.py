"""The join contract, the pushes and the catch-up from the change log, through flask_socketio's test client."""
from meetings.dossiers import services as dossiers
from tests.live.conftest import NOW, join, updates


def test_join_gives_the_full_state_of_the_meeting_as_the_api_does(meeting):
    client = meeting.socket(meeting.members[0])
    ack = join(client, meeting.id)
    api = meeting.call(meeting.members[0], "GET", f"/api/v1/meetings/{meeting.id}")
    assert ack["version"] == api["version"] == ack["state"]["version"]
    assert ack["state"]["agenda"] == api["agenda"] and "live" in ack["state"]
    assert meeting.members[0].id in ack["state"]["live"]["connected"]


def test_outsiders_and_unknown_meetings_get_an_error_and_no_room(meeting):
    outsider = meeting.socket(meeting.outsider)
    assert join(outsider, meeting.id)["error"]["code"] == "not_found"
    assert join(outsider, 999_999)["error"]["code"] == "not_found"
    assert join(outsider, "1")["error"]["code"] == "not_found"
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": meeting.items[0]})
    assert updates(outsider) == []


def test_current_item_is_pushed_with_its_start_and_the_previous_one_is_done(meeting):
    viewer = meeting.socket(meeting.members[0])
    version = join(viewer, meeting.id)["version"]
    updates(viewer)
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": meeting.items[0]})
    answer = meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/current",
                          {"item_id": meeting.items[1]})
    pushed = updates(viewer)
    assert [u["version"] for u in pushed] == [version + 1, version + 2]
    assert pushed[1] == answer == {"meeting_id": meeting.id, "version": version + 2, "type": "current_item", "data": {
        "item_id": meeting.items[1], "previous_item_id": meeting.items[0], "started_at": NOW.isoformat(),
        "duration_minutes": 15}}
    body = meeting.call(meeting.secretary, "GET", f"/api/v1/meetings/{meeting.id}")
    statuses = {i["id"]: i["status"] for i in body["agenda"]}
    assert statuses[meeting.items[0]] == "done" and statuses[meeting.items[1]] == "current"
    assert body["live"]["current"]["started_at"] == NOW.isoformat()
    assert body["live"]["timings"][str(meeting.items[0])]["ended_at"] == NOW.isoformat()


def test_members_and_guests_cannot_move_the_agenda(meeting):
    for user in (meeting.members[0], meeting.guest):
        meeting.call(user, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": meeting.items[0]},
                     expect=403)
    meeting.call(meeting.outsider, "POST", f"/api/v1/meetings/{meeting.id}/current",
                 {"item_id": meeting.items[0]}, expect=404)


def test_a_stale_change_gets_409_with_the_fresh_state(meeting):
    old = meeting.version()
    meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": meeting.items[0]})
    response = meeting.http.post(f"/api/v1/meetings/{meeting.id}/current", headers=meeting.headers(meeting.chair),
                                 json={"item_id": meeting.items[1], "version": old})
    assert response.status_code == 409
    assert response.get_json()["error"]["current"]["current_item_id"] == meeting.items[0]


def test_gap_recovery_gives_exactly_the_missing_changes_in_order(meeting):
    client = meeting.socket(meeting.members[0])
    seen = join(client, meeting.id)["version"]
    client.disconnect(namespace="/live")  # the tablet's Wi-Fi drops
    for item in meeting.items:
        meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": item})
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/notices", {"text": "Nghỉ giải lao 10 phút"},
                 expect=201)
    back = meeting.socket(meeting.members[0])
    ack = join(back, meeting.id, since=seen)
    versions = [c["version"] for c in ack["changes"]]
    assert versions == list(range(seen + 1, ack["version"] + 1))
    types = [c["type"] for c in ack["changes"]]
    # Its own departure and return are changes too (presence); the missed ones sit between them in order.
    assert [t for t in types if t != "presence"] == ["current_item"] * 3 + ["notice"]
    assert ack["changes"][-2]["data"]["text"] == "Nghỉ giải lao 10 phút"
    assert join(back, meeting.id, since=ack["version"]) == {"version": ack["version"], "changes": []}


def test_a_client_older_than_the_log_gets_the_full_state(meeting, monkeypatch):
    monkeypatch.setattr(dossiers, "CHANGE_LOG_KEPT", 3)
    monkeypatch.setattr(dossiers, "PRUNE_EVERY", 1)
    client = meeting.socket(meeting.members[0])
    seen = join(client, meeting.id)["version"]
    for item in meeting.items * 2:
        meeting.call(meeting.chair, "POST", f"/api/v1/meetings/{meeting.id}/current", {"item_id": item})
    ack = join(client, meeting.id, since=seen)
    assert "state" in ack and ack["version"] == ack["state"]["version"] == meeting.version()
    assert ack["state"]["current_item_id"] == meeting.items[2]
    assert join(client, meeting.id, since=ack["version"] + 5)["state"]["version"] == ack["version"]


def test_agenda_changes_reach_the_room_as_meeting_update(meeting):
    client = meeting.socket(meeting.members[0])
    version = join(client, meeting.id)["version"]
    updates(client)
    meeting.call(meeting.secretary, "POST", f"/api/v1/meetings/{meeting.id}/agenda", {"title": "Bổ sung"}, expect=201)
    [pushed] = updates(client)
    assert (pushed["type"], pushed["version"]) == ("agenda_added", version + 1)


def test_presence_follows_sockets_and_clears_on_disconnect(meeting):
    member = meeting.members[1]
    first, second = meeting.socket(member), meeting.socket(member)
    join(first, meeting.id)
    join(second, meeting.id)
    watcher = meeting.socket(meeting.secretary)
    assert member.id in join(watcher, meeting.id)["state"]["live"]["connected"]
    updates(watcher)
    first.disconnect(namespace="/live")
    assert updates(watcher) == []  # one of their sockets is still there
    second.disconnect(namespace="/live")
    [gone] = updates(watcher)
    assert gone["type"] == "presence" and gone["data"] == {"user_id": member.id, "connected": False}


def test_check_in_by_the_participant_or_the_secretary_only(meeting):
    member, other = meeting.members
    path = f"/api/v1/meetings/{meeting.id}/check-ins"
    meeting.call(member, "POST", f"{path}/{member.id}", {"status": "online"})
    meeting.call(member, "POST", f"{path}/{other.id}", {"status": "in_person"}, expect=403)
    meeting.call(meeting.secretary, "POST", f"{path}/{other.id}", {"status": "absent"}, expect=422)
    meeting.call(meeting.secretary, "POST", f"{path}/{other.id}", {"status": "absent", "reason": "Đi công tác"})
    live = meeting.call(member, "GET", f"/api/v1/meetings/{meeting.id}")["live"]
    assert live["check_ins"] == {str(member.id): {"status": "online", "reason": None},
                                 str(other.id): {"status": "absent", "reason": "Đi công tác"}}
