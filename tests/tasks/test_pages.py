"""The pages: the secretary records a conclusion and turns it into tasks; the unit reports done
with a file (stored only after the commit, cleaned up when anything fails); the dashboard's
numbers; a leader's own follow-up."""
import io
import os

import pytest

from tests.tasks.conftest import local


def sign_in(client, user):
    client.post("/login", data={"email": user.email, "password": user.password})


def stored_files(app) -> list[str]:
    root = os.path.join(app.config["MEETINGS_STORAGE"], "tasks")
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files)


def test_secretary_records_a_conclusion_and_gives_two_tasks(client, office):
    sign_in(client, office.secretary)
    response = client.post(f"/tasks/meetings/{office.meeting}/conclusions",
                           data={"text": "Giao Vụ Pháp chế và Vụ Kế hoạch - Tài chính hoàn thiện hồ sơ."})
    assert response.status_code == 302
    page = client.get(f"/tasks/meetings/{office.meeting}").get_data(as_text=True)
    assert "hoàn thiện hồ sơ" in page and "Giao nhiệm vụ theo kết luận" in page
    conclusion_id = int(page.split('data-conclusion="')[1].split('"')[0])
    form = client.get(f"/tasks/new?conclusion_id={conclusion_id}").get_data(as_text=True)
    assert "hoàn thiện hồ sơ" in form
    first = client.post("/tasks/new", data={"conclusion_id": conclusion_id, "title": "Hoàn thiện hồ sơ pháp lý",
                                            "unit_id": office.legal, "due": "2026-12-10", "priority": "high",
                                            "then": "another"})
    assert first.status_code == 302 and f"conclusion_id={conclusion_id}" in first.location
    second = client.post("/tasks/new", data={"conclusion_id": conclusion_id, "title": "Bố trí kinh phí",
                                             "unit_id": office.finance, "due": "2026-12-12",
                                             "cooperating_unit_ids": [office.legal]})
    assert second.status_code == 302 and second.location.endswith(f"/tasks/meetings/{office.meeting}")
    page = client.get(f"/tasks/meetings/{office.meeting}").get_data(as_text=True)
    assert "Hoàn thiện hồ sơ pháp lý" in page and "Bố trí kinh phí" in page


def test_bad_task_form_shows_the_errors(client, office):
    sign_in(client, office.secretary)
    response = client.post("/tasks/new", data={"title": "", "unit_id": "", "due": ""})
    assert response.status_code == 422 and "Trường này là bắt buộc" in response.get_data(as_text=True)


def test_others_cannot_open_the_forms(client, office):
    sign_in(client, office.legal_head)
    assert client.get("/tasks/new").status_code == 403
    assert client.post(f"/tasks/meetings/{office.meeting}/conclusions", data={"text": "x"}).status_code == 403


def test_done_with_a_file_stored_after_commit(client, office, app):
    task_id = office.task()
    sign_in(client, office.legal_staff)
    response = client.post(f"/tasks/{task_id}/change", content_type="multipart/form-data", data={
        "status": "done", "note": "Đã trình ký.", "version": "1",
        "report_file": (io.BytesIO(b"%PDF-1.4 ket qua"), "Tờ trình.pdf")})
    assert response.status_code == 302
    assert office.get(task_id)["status"] == "done" and office.get(task_id)["report_file"] == "Tờ trình.pdf"
    assert [name.split("/")[0] for name in stored_files(app)] == [str(task_id)]
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Tờ trình.pdf" in page and "Đã trình ký." in page


def test_a_stale_form_stores_no_file(client, office, app):
    task_id = office.task()
    office.change(task_id, office.legal_head, note="Bắt đầu.")  # version 2 now
    sign_in(client, office.legal_staff)
    response = client.post(f"/tasks/{task_id}/change", content_type="multipart/form-data", data={
        "status": "done", "note": "Đã xong.", "version": "1", "report_file": (io.BytesIO(b"data"), "a.pdf")},
        follow_redirects=True)
    assert "người khác cập nhật" in response.get_data(as_text=True)
    assert office.get(task_id)["status"] == "in_progress" and stored_files(app) == []


def test_a_failed_commit_leaves_no_file(client, office, app, monkeypatch):
    from meetings.extensions import db

    task_id = office.task()
    sign_in(client, office.legal_staff)

    def broken_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        client.post(f"/tasks/{task_id}/change", content_type="multipart/form-data", data={
            "status": "done", "note": "Xong.", "report_file": (io.BytesIO(b"data"), "a.pdf")})
    monkeypatch.undo()
    assert stored_files(app) == []


def test_a_file_over_the_limit_is_refused(make_app, tmp_path):
    from tests.tasks.conftest import NOW, TaskOffice

    app = make_app(MEETINGS_FAKE_NOW=NOW, TASKS_MAX_REPORT_BYTES=1024)
    office = TaskOffice(app)
    task_id = office.task()
    client = app.test_client()
    sign_in(client, office.legal_staff)
    response = client.post(f"/tasks/{task_id}/change", content_type="multipart/form-data", follow_redirects=True,
                           data={"status": "done", "note": "Xong.", "report_file": (io.BytesIO(b"x" * 2048), "a.pdf")})
    assert "lớn hơn" in response.get_data(as_text=True)
    assert office.get(task_id)["status"] == "assigned" and stored_files(app) == []


def test_dashboard_numbers_and_a_leaders_own_view(client, office, app):
    office.task("Quá hạn một", due="2026-12-03", leader_id=office.minister.id)
    office.task("Trong tuần", due="2026-12-06", unit=office.finance)
    done = office.task("Xong muộn", due="2026-12-03", leader_id=office.minister.id)
    office.change(done, office.legal_head, now=local("2026-12-04 10:00"), status="done", note="Xong.")
    app.config["MEETINGS_FAKE_NOW"] = local("2026-12-05 09:00")
    sign_in(client, office.secretary)
    page = client.get("/tasks/").get_data(as_text=True)
    cards = {key: page.split(f'data-card="{key}"')[1].split('task-card-number">')[1].split("<")[0]
             for key in ("due_week", "overdue", "done_on_time", "done_late")}
    assert cards == {"due_week": "1", "overdue": "1", "done_on_time": "0", "done_late": "1"}
    overdue = client.get("/tasks/?status=overdue").get_data(as_text=True)
    assert "Quá hạn một" in overdue and "Trong tuần" not in overdue and 'data-days-overdue="2"' in overdue
    client.post("/logout")
    sign_in(client, office.minister)
    mine = client.get("/tasks/").get_data(as_text=True)
    assert "Quá hạn một" in mine and "Xong muộn" in mine and "Trong tuần" not in mine
