"""The meeting contract: create, read with only what the caller may see, agenda, reorder, versions."""
from meetings.dossiers.models import MeetingChange
from meetings.extensions import db
from tests.dossiers import pdfs


def test_a_meeting_is_a_calendar_entry_with_the_same_id(board):
    created = board.meeting()
    assert created["version"] == 1
    entry = board.get(board.chair, f"/api/v1/events/{created['id']}")
    assert entry.status_code == 200 and entry.json["title"] == "Họp Ban cán sự Đảng"
    assert board.member.id in entry.json["participant_ids"]  # so it shows on the member's own schedule


def test_the_meeting_has_exactly_the_promised_shape(board):
    meeting = board.meeting()
    item = board.post(board.secretary, f"/api/v1/meetings/{meeting['id']}/agenda",
                      {"title": "Báo cáo kết quả năm 2026", "presenter_id": board.member.id, "duration_minutes": 20})
    assert item.status_code == 201
    board.document(meeting["id"], agenda_item_id=str(item.json["id"]))
    data = board.get(board.member, f"/api/v1/meetings/{meeting['id']}").json
    for key in ("id", "title", "start", "end", "status", "version", "current_item_id", "agenda", "participants",
                "documents"):
        assert key in data
    assert data["start"] == "2026-12-03T08:00:00+07:00"
    assert set(data["agenda"][0]) >= {"id", "title", "position", "status", "documents"}
    assert set(data["documents"][0]) >= {"id", "title", "pages", "version", "agenda_item_id"}
    assert data["agenda"][0]["documents"][0]["id"] == data["documents"][0]["id"]
    assert {p["role"] for p in data["participants"]} == {"chair", "member"}


def test_non_participants_get_404_and_drafts_stay_with_the_chair_and_secretaries(board):
    published = board.meeting()
    assert board.get(board.outsider, f"/api/v1/meetings/{published['id']}").status_code == 404
    draft = board.meeting(status="draft")
    assert board.get(board.member, f"/api/v1/meetings/{draft['id']}").status_code == 404
    assert board.get(board.chair, f"/api/v1/meetings/{draft['id']}").status_code == 200
    assert board.get(board.secretary, f"/api/v1/meetings/{draft['id']}").status_code == 200
    assert board.post(board.member, f"/api/v1/meetings/{published['id']}/agenda", {"title": "x"}).status_code == 403


def test_only_secretaries_set_up_meetings(board):
    response = board.post(board.member, "/api/v1/meetings", {"title": "x", "start": "2026-12-03T08:00"})
    assert response.status_code == 403


def test_every_change_raises_the_version_by_exactly_one(board, app):
    meeting_id = board.meeting()["id"]
    url = f"/api/v1/meetings/{meeting_id}"
    versions = [board.get(board.secretary, url).json["version"]]

    def step(response, status=200):
        assert response.status_code == status, response.json
        versions.append(board.get(board.secretary, url).json["version"])

    first = board.post(board.secretary, f"{url}/agenda", {"title": "Mục 1"})
    step(first, 201)
    second = board.post(board.secretary, f"{url}/agenda", {"title": "Mục 2", "duration_minutes": 15})
    step(second, 201)
    step(board.patch(board.secretary, f"{url}/agenda/{first.json['id']}", {"status": "current"}))
    step(board.put(board.secretary, f"{url}/agenda/order",
                   {"item_ids": [second.json["id"], first.json["id"]], "version": versions[-1]}))
    document = board.upload(meeting_id)
    step(document, 202)
    step(board.new_version(document.json["id"], pdfs.text_pdf(2)), 202)
    step(board.post(board.secretary, f"{url}/participants", {"participants": [{"user_id": board.outsider.id,
                                                                               "role": "guest"}]}), 201)
    step(board.patch(board.secretary, f"{url}/participants/{board.outsider.id}", {"attendance": "present"}))
    step(board.delete(board.secretary, f"{url}/agenda/{second.json['id']}"), 204)
    assert versions == list(range(versions[0], versions[0] + len(versions)))
    with app.app_context():
        log = db.session.scalars(db.select(MeetingChange).where(MeetingChange.meeting_id == meeting_id)
                                 .order_by(MeetingChange.version)).all()
        assert [c.version for c in log] == versions[1:]
        assert log[0].type == "agenda_added" and log[3].type == "agenda_reordered"
    changes = board.get(board.member, f"{url}/changes?since={versions[-3]}").json
    assert [c["version"] for c in changes["changes"]] == versions[-2:]


def test_a_stale_reorder_is_refused_with_the_fresh_state(board):
    meeting_id = board.meeting()["id"]
    url = f"/api/v1/meetings/{meeting_id}"
    ids = [board.post(board.secretary, f"{url}/agenda", {"title": f"Mục {n}"}).json["id"] for n in range(3)]
    read = board.get(board.secretary, url).json["version"]
    board.patch(board.secretary, f"{url}/agenda/{ids[0]}", {"title": "Mục đầu tiên"})  # someone else's change
    response = board.put(board.secretary, f"{url}/agenda/order", {"item_ids": list(reversed(ids)), "version": read})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "stale" and error["version"] == read + 1
    assert [i["id"] for i in error["current"]["agenda"]] == ids  # the order did not change
    assert error["current"]["agenda"][0]["title"] == "Mục đầu tiên"


def test_reorder_must_list_every_item_once(board):
    meeting_id = board.meeting()["id"]
    url = f"/api/v1/meetings/{meeting_id}"
    ids = [board.post(board.secretary, f"{url}/agenda", {"title": f"Mục {n}"}).json["id"] for n in range(2)]
    version = board.get(board.secretary, url).json["version"]
    response = board.put(board.secretary, f"{url}/agenda/order", {"item_ids": ids[:1], "version": version})
    assert response.status_code == 422


def test_sub_items_go_one_level_deep_and_follow_their_parent(board):
    meeting_id = board.meeting()["id"]
    url = f"/api/v1/meetings/{meeting_id}"
    parent = board.post(board.secretary, f"{url}/agenda", {"title": "Công tác cán bộ"}).json
    board.post(board.secretary, f"{url}/agenda", {"title": "Mục khác"})
    child = board.post(board.secretary, f"{url}/agenda", {"title": "Bổ nhiệm", "parent_id": parent["id"]})
    assert child.status_code == 201
    grandchild = board.post(board.secretary, f"{url}/agenda", {"title": "x", "parent_id": child.json["id"]})
    assert grandchild.status_code == 422
    titles = [i["title"] for i in board.get(board.secretary, url).json["agenda"]]
    assert titles == ["Công tác cán bộ", "Bổ nhiệm", "Mục khác"]


def test_one_item_is_current_at_a_time(board):
    meeting_id = board.meeting()["id"]
    url = f"/api/v1/meetings/{meeting_id}"
    first, second = (board.post(board.secretary, f"{url}/agenda", {"title": t}).json["id"] for t in ("A", "B"))
    board.patch(board.secretary, f"{url}/agenda/{first}", {"status": "current"})
    board.patch(board.secretary, f"{url}/agenda/{second}", {"status": "current"})
    data = board.get(board.member, url).json
    assert data["current_item_id"] == second
    assert [i["status"] for i in data["agenda"]] == ["done", "current"]
