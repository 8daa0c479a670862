"""A task's life through the API: assigned → in_progress → done, extension asked and decided,
cancelled; steps not allowed from a status (409), bad input (422), the wrong person (403), a stale
version (409 "stale" with the task as it is now), and every change in the history."""
import pytest


def patch(client, office, who, task_id, **body):
    return client.patch(f"/api/v1/tasks/{task_id}", json=body, headers=office.token(who))


def test_secretary_assigns_from_a_conclusion(client, office):
    conclusion = office.conclusion()
    response = client.post("/api/v1/tasks", headers=office.token(office.secretary), json={
        "title": "Rà soát dự thảo Nghị định về đất đai", "unit_id": office.legal, "assignee_id": office.legal_staff.id,
        "due": "2026-12-10", "conclusion_id": conclusion, "meeting_id": office.meeting})
    assert response.status_code == 201, response.json
    task = response.json
    assert task["status"] == "assigned" and task["source"] == "conclusion" and task["version"] == 1
    assert task["meeting_id"] == office.meeting and task["leader_id"] == office.minister.id  # the chair
    assert task["days_overdue"] is None and task["due"] == "2026-12-10"


def test_direct_assignment_and_meeting_source(client, office):
    direct = client.post("/api/v1/tasks", headers=office.token(office.secretary), json={
        "title": "Báo cáo tình hình giải ngân", "unit_id": office.finance, "due": "2026-12-05",
        "leader_id": office.deputy.id, "cooperating_unit_ids": [office.legal, office.finance]}).json
    assert direct["source"] == "direct" and direct["leader_id"] == office.deputy.id
    assert direct["cooperating_unit_ids"] == [office.legal]  # the responsible unit is not its own helper
    from_meeting = client.post("/api/v1/tasks", headers=office.token(office.secretary), json={
        "title": "Chuẩn bị hội nghị", "unit_id": office.climate, "due": "2026-12-20",
        "meeting_id": office.meeting}).json
    assert from_meeting["source"] == "meeting"


@pytest.mark.parametrize("body, field", [
    ({"unit_id": 1, "due": "2026-12-10"}, "title"),
    ({"title": "X", "due": "2026-12-10"}, "unit_id"),
    ({"title": "X", "unit_id": 999999, "due": "2026-12-10"}, "unit_id"),
    ({"title": "X", "unit_id": None, "due": "10/12/2026"}, "due"),
    ({"title": "X", "unit_id": None, "due": "2026-12-01"}, "due"),  # yesterday in Hà Nội
    ({"title": "X", "unit_id": None, "due": "2026-12-10", "conclusion_id": 999999}, "conclusion_id"),
    ({"title": "X", "unit_id": None, "due": "0001-01-01"}, "due"),
    ({"title": "\u200b\u00ad", "unit_id": None, "due": "2026-12-10"}, "title"),
    ({"title": "X", "unit_id": 1.5, "due": "2026-12-10"}, "unit_id"),
])
def test_invalid_task_input_is_422(client, office, body, field):
    body = {k: (office.legal if k == "unit_id" and v is None else v) for k, v in body.items()}
    response = client.post("/api/v1/tasks", headers=office.token(office.secretary), json=body)
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_only_secretaries_and_admins_assign(client, office):
    body = {"title": "X", "unit_id": office.legal, "due": "2026-12-10"}
    for who in (office.minister, office.legal_head):
        assert client.post("/api/v1/tasks", headers=office.token(who), json=body).status_code == 403
    assert client.post("/api/v1/tasks", headers=office.token(office.admin), json=body).status_code == 201


def test_the_whole_life_with_an_extension(client, office):
    task_id = office.task(due="2026-12-04", assignee_id=office.legal_staff.id)
    started = patch(client, office, office.legal_staff, task_id, status="in_progress", version=1)
    assert started.status_code == 200 and started.json["status"] == "in_progress" and started.json["version"] == 2
    progress = patch(client, office, office.legal_head, task_id, note="Đã xin ý kiến các đơn vị.", version=2)
    assert progress.status_code == 200 and progress.json["status"] == "in_progress"
    asked = patch(client, office, office.legal_staff, task_id, status="extension_requested", due="2026-12-15",
                  note="Chờ ý kiến Bộ Tư pháp.", version=3)
    assert asked.status_code == 200, asked.json
    assert asked.json["status"] == "extension_requested" and asked.json["requested_due"] == "2026-12-15"
    approved = patch(client, office, office.secretary, task_id, status="approved", version=4)
    assert approved.json["status"] == "in_progress" and approved.json["due"] == "2026-12-15"
    assert approved.json["requested_due"] is None
    done = patch(client, office, office.legal_staff, task_id, status="done", note="Đã trình Bộ trưởng ký.", version=5)
    assert done.status_code == 200 and done.json["status"] == "done" and done.json["report"] == "Đã trình Bộ trưởng ký."
    assert done.json["done_late"] is False
    history = [(h["action"], h["field"], h["old"], h["new"]) for h in done.json["history"]]
    assert history == [
        ("created", None, None, "Rà soát dự thảo Nghị định"),
        ("status", "status", "assigned", "in_progress"),
        ("progress", None, None, None),
        ("extension", "due_date", "2026-12-04", "2026-12-15"),
        ("status", "status", "in_progress", "extension_requested"),
        ("extension", "due_date", "2026-12-04", "2026-12-15"),
        ("status", "status", "extension_requested", "approved"),
        ("status", "status", "in_progress", "done"),
    ]
    assert {h["user_id"] for h in done.json["history"][1:]} == {office.legal_staff.id, office.legal_head.id,
                                                               office.secretary.id}


def test_rejected_extension_keeps_the_due_date(client, office):
    task_id = office.task(due="2026-12-04")
    patch(client, office, office.legal_head, task_id, status="extension_requested", due="2026-12-20", note="Bận.")
    rejected = patch(client, office, office.secretary, task_id, status="rejected", note="Không có lý do chính đáng.")
    assert rejected.json["status"] == "in_progress" and rejected.json["due"] == "2026-12-04"


def test_a_first_progress_note_starts_the_work(client, office):
    task_id = office.task()
    response = patch(client, office, office.legal_staff, task_id, note="Đang dự thảo.")
    assert response.json["status"] == "in_progress"


def test_cancelled_by_the_secretary_with_a_reason(client, office):
    task_id = office.task()
    assert patch(client, office, office.secretary, task_id, status="cancelled").status_code == 422  # no reason
    cancelled = patch(client, office, office.secretary, task_id, status="cancelled", note="Không còn cần thiết.")
    assert cancelled.json["status"] == "cancelled"


@pytest.mark.parametrize("setup, step, body", [
    ([], "approved", {}),  # nothing was asked
    ([], "rejected", {"note": "x"}),
    ([("in_progress", {})], "in_progress", {}),
    ([("done", {"note": "Xong."})], "in_progress", {}),
    ([("done", {"note": "Xong."})], "done", {"note": "Lại xong."}),
    ([("done", {"note": "Xong."})], "extension_requested", {"due": "2026-12-30", "note": "x"}),
    ([("done", {"note": "Xong."})], "cancelled", {"note": "x"}),
    ([("extension_requested", {"due": "2026-12-30", "note": "x"})], "extension_requested",
     {"due": "2026-12-31", "note": "x"}),
])
def test_steps_not_allowed_from_the_current_status_are_409(client, office, setup, step, body):
    task_id = office.task()
    for earlier, data in setup:
        office.change(task_id, office.legal_head, status=earlier, **data)
    who = office.secretary if step in ("approved", "rejected", "cancelled") else office.legal_head
    response = patch(client, office, who, task_id, status=step, **body)
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_transition"


def test_a_closed_task_takes_no_progress_note(client, office):
    task_id = office.task()
    office.change(task_id, office.legal_head, status="done", note="Xong.")
    assert patch(client, office, office.legal_head, task_id, note="Thêm.").status_code == 409


@pytest.mark.parametrize("body, field", [
    ({"status": "finished"}, "status"),
    ({"status": "done"}, "note"),  # a completion report is required
    ({"status": "extension_requested", "note": "x"}, "due"),
    ({"status": "extension_requested", "note": "x", "due": "2026-12-09"}, "due"),  # not later than now
    ({}, "note"),
])
def test_bad_change_input_is_422(client, office, body, field):
    task_id = office.task()
    response = patch(client, office, office.legal_head, task_id, **body)
    assert response.status_code == 422 and field in response.json["error"]["fields"], response.json


@pytest.mark.parametrize("who, body", [
    ("legal_head", {"status": "cancelled", "note": "x"}),  # the unit works; it does not cancel
    ("legal_head", {"due": "2026-12-31"}),  # nor edit
    ("secretary", {"status": "done", "note": "x"}),  # the office manages; it does not report for the unit
    ("minister", {"status": "in_progress"}),  # the leader who gave it follows it
    ("finance_head", {"note": "x"}),  # a cooperating unit sees but does not report
])
def test_the_wrong_person_gets_403(client, office, who, body):
    task_id = office.task(cooperating_unit_ids=[office.finance], leader_id=office.minister.id)
    response = patch(client, office, getattr(office, who), task_id, **body)
    assert response.status_code == 403


def test_extension_decisions_belong_to_the_office(client, office):
    task_id = office.task()
    office.change(task_id, office.legal_head, status="extension_requested", due="2026-12-20", note="x")
    assert patch(client, office, office.legal_head, task_id, status="approved").status_code == 403


def test_stale_version_is_409_with_the_current_task(client, office):
    task_id = office.task()
    office.change(task_id, office.legal_head, note="Bắt đầu.")  # version 1 -> 2
    response = patch(client, office, office.legal_staff, task_id, status="done", note="Xong.", version=1)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "stale" and error["current"]["version"] == 2 and error["current"]["status"] == "in_progress"
    assert office.get(task_id)["status"] == "in_progress"  # nothing changed


def test_secretary_edits_and_each_field_is_recorded(client, office):
    task_id = office.task()
    response = patch(client, office, office.secretary, task_id, due="2026-12-24", unit_id=office.finance,
                     assignee_id=office.finance_head.id, version=1)
    assert response.status_code == 200 and response.json["unit_id"] == office.finance
    edits = {(h["field"], h["old"], h["new"]) for h in response.json["history"] if h["action"] == "edit"}
    assert edits == {("due_date", "2026-12-10", "2026-12-24"), ("unit", "Vụ Pháp chế", "Vụ Kế hoạch - Tài chính"),
                     ("assignee", None, "Ngô Thị Lan")}


def test_get_one_task_with_history(client, office):
    task_id = office.task()
    body = client.get(f"/api/v1/tasks/{task_id}", headers=office.token(office.legal_head)).json
    assert body["id"] == task_id and body["history"][0]["action"] == "created"
    assert body["can"] == {"work": True, "manage": False}


def test_conclusions_recorded_and_listed(client, office):
    response = client.post(f"/api/v1/meetings/{office.meeting}/conclusions", headers=office.token(office.secretary),
                           json={"text": "Giao Cục Biến đổi khí hậu chủ trì xây dựng kế hoạch.", "agenda_item_id": 2})
    assert response.status_code == 422 and "agenda_item_id" in response.json["error"]["fields"]  # not this meeting's
    response = client.post(f"/api/v1/meetings/{office.meeting}/conclusions", headers=office.token(office.secretary),
                           json={"text": "Giao Cục Biến đổi khí hậu chủ trì xây dựng kế hoạch."})
    assert response.status_code == 201 and response.json["agenda_item_id"] is None
    assert client.post(f"/api/v1/meetings/{office.meeting}/conclusions", headers=office.token(office.secretary),
                       json={"text": ""}).status_code == 422
    assert client.post(f"/api/v1/meetings/{office.meeting}/conclusions", headers=office.token(office.minister),
                       json={"text": "x"}).status_code == 403
    listed = client.get(f"/api/v1/meetings/{office.meeting}/conclusions", headers=office.token(office.member)).json
    assert [c["text"] for c in listed["conclusions"]] == ["Giao Cục Biến đổi khí hậu chủ trì xây dựng kế hoạch."]
    assert client.post("/api/v1/meetings/999999/conclusions", headers=office.token(office.secretary),
                       json={"text": "x"}).status_code == 404


@pytest.mark.parametrize("note", [5, ["a"], {"a": 1}])
def test_a_note_that_is_not_text_is_422(client, office, note):
    task_id = office.task()
    response = patch(client, office, office.legal_head, task_id, note=note, version=1)
    assert response.status_code == 422 and "note" in response.json["error"]["fields"]
