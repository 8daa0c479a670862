"""A secretary sets a meeting up in minutes: from scratch, from a template, copying a past one, whole units."""


def test_copying_a_past_meeting_brings_agenda_and_participants_but_not_documents(board):
    past = board.meeting(title="Giao ban tháng 11")["id"]
    url = f"/api/v1/meetings/{past}"
    parent = board.post(board.secretary, f"{url}/agenda", {"title": "Tình hình tháng", "duration_minutes": 30}).json
    board.post(board.secretary, f"{url}/agenda", {"title": "Ý kiến các đơn vị", "parent_id": parent["id"]})
    board.post(board.secretary, f"{url}/agenda", {"title": "Kết luận", "presenter_id": board.chair.id})
    board.document(past, agenda_item_id=str(parent["id"]))
    # A month later: the chair, a leader, now stands on the calendar and cannot be booked twice.
    copy = board.meeting(title="Giao ban tháng 12", participants=[], copy_from=past,
                         start="2027-01-07T08:00", end="2027-01-07T10:00")
    assert copy["documents"] == []
    assert [(i["title"], bool(i["parent_id"])) for i in copy["agenda"]] == [
        ("Tình hình tháng", False), ("Ý kiến các đơn vị", True), ("Kết luận", False)]
    assert copy["agenda"][0]["duration_minutes"] == 30 and copy["agenda"][2]["presenter_id"] == board.chair.id
    assert {(p["user_id"], p["role"]) for p in copy["participants"]} == {
        (board.chair.id, "chair"), (board.member.id, "member"), (board.other_member.id, "member")}
    assert all(i["status"] == "pending" for i in copy["agenda"])


def test_a_template_saved_from_a_meeting_sets_up_the_next_one(board):
    meeting = board.meeting()["id"]
    board.post(board.secretary, f"/api/v1/meetings/{meeting}/agenda", {"title": "Thông qua chương trình"})
    template = board.post(board.secretary, f"/api/v1/meetings/{meeting}/template", {"name": "Họp Ban cán sự"})
    assert template.status_code == 201
    assert board.get(board.secretary, "/api/v1/meeting-templates").json["templates"][0]["name"] == "Họp Ban cán sự"
    new = board.meeting(participants=[], template_id=template.json["id"],  # a week later: the chair is booked
                        start="2026-12-10T08:00", end="2026-12-10T10:00")
    assert [i["title"] for i in new["agenda"]] == ["Thông qua chương trình"]
    assert len(new["participants"]) == 3


def test_whole_units_join_as_members(board):
    meeting = board.meeting(participants=[])["id"]
    response = board.post(board.secretary, f"/api/v1/meetings/{meeting}/participants",
                          {"unit_ids": [board.member.unit_id]})
    assert response.status_code == 201
    assert {p["user_id"] for p in response.json["participants"]} == {board.member.id, board.other_member.id}


def test_the_set_up_form_creates_a_meeting_and_copies_a_past_one(board):
    past = board.meeting(title="Họp tháng trước")["id"]
    board.post(board.secretary, f"/api/v1/meetings/{past}/agenda", {"title": "Điểm lại"})
    board.page(board.secretary, "/meetings/new")
    browser = board._tokens[("page", board.secretary.id)]
    response = browser.post("/meetings/new", data={"title": "Họp tháng này", "date": "2026-12-10",
                                                   "start_time": "14:00", "end_time": "16:00", "copy_from": past})
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Họp tháng này" in page and "Điểm lại" in page and "Nguyễn Văn Minh" in page


def test_the_upload_form_without_javascript_stores_the_good_files_and_names_the_bad_ones(board):
    import io

    from tests.dossiers import pdfs

    meeting = board.meeting()["id"]
    board.page(board.secretary, f"/meetings/{meeting}")
    browser = board._tokens[("page", board.secretary.id)]
    response = browser.post(f"/meetings/{meeting}/documents", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(pdfs.text_pdf(1)), "Báo cáo.pdf"), (io.BytesIO(b"<html>"), "Giả mạo.pdf"),
                  (io.BytesIO(pdfs.text_pdf(2)), "Phụ lục.pdf")]}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Giả mạo.pdf" in page and "flash-error" in page
    assert [d["title"] for d in board.get(board.secretary, f"/api/v1/meetings/{meeting}").json["documents"]] == [
        "Báo cáo", "Phụ lục"]
