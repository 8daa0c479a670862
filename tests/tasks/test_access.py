"""Who sees a task, through every door: API (one, list, change), pages (task, dashboard, change
form, completion file, meeting's conclusions), report (page, CSV, PDF) and reminders. A member of
another unit gets 404, as if the task did not exist. The SQL list rule agrees with task_rights."""
import io

import pymupdf
import pytest
from sqlalchemy import select

from meetings.directory.models import User
from meetings.extensions import db
from meetings.tasks.access import task_rights, visible_tasks
from meetings.tasks.models import Task

SECRET = "Chuẩn bị phương án nhân sự Vụ Pháp chế"


@pytest.fixture
def task_id(office):
    conclusion = office.conclusion("Giao Vụ Pháp chế chuẩn bị phương án nhân sự.")
    task_id = office.task(SECRET, conclusion_id=conclusion, cooperating_unit_ids=[office.finance])
    office.change(task_id, office.legal_head, status="done", note="Xong.")
    return task_id


def sign_in(client, user):
    client.post("/login", data={"email": user.email, "password": user.password})


def test_member_of_another_unit_gets_404_everywhere(client, office, task_id):
    headers = office.token(office.climate_head)
    assert client.get(f"/api/v1/tasks/{task_id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/tasks/{task_id}", headers=headers, json={"note": "x"}).status_code == 404
    assert client.get("/api/v1/tasks", headers=headers).json["tasks"] == []
    csv_text = client.get("/api/v1/reports/tasks.csv?from=2026-12-01&to=2026-12-31", headers=headers).data.decode()
    assert SECRET not in csv_text
    sign_in(client, office.climate_head)
    for url in (f"/tasks/{task_id}", f"/tasks/{task_id}/report-file"):
        assert client.get(url).status_code == 404
    assert client.post(f"/tasks/{task_id}/change", data={"note": "x"}).status_code == 404
    for url in ("/tasks/", "/tasks/?status=done", f"/tasks/meetings/{office.meeting}",
                "/tasks/report?from=2026-12-01&to=2026-12-31&column=done_on_time",
                "/tasks/report.csv?from=2026-12-01&to=2026-12-31"):
        response = client.get(url)
        assert response.status_code == 200 and SECRET not in response.get_data(as_text=True), url
    pdf = client.get("/tasks/report.pdf?from=2026-12-01&to=2026-12-31").data
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert SECRET not in "".join(page.get_text() for page in doc)


@pytest.mark.parametrize("who", ["legal_staff", "finance_head", "minister", "secretary", "admin"])
def test_those_concerned_see_it(client, office, task_id, who):
    user = getattr(office, who)
    headers = office.token(user)
    assert client.get(f"/api/v1/tasks/{task_id}", headers=headers).status_code == 200
    assert [t["id"] for t in client.get("/api/v1/tasks", headers=headers).json["tasks"]] == [task_id]
    sign_in(client, user)
    assert SECRET in client.get(f"/tasks/{task_id}").get_data(as_text=True)
    listed = client.get("/tasks/report?from=2026-12-01&to=2026-12-31&column=done_on_time")
    assert SECRET in listed.get_data(as_text=True)


def test_signed_out_is_sent_to_sign_in(client, task_id):
    assert client.get(f"/tasks/{task_id}").status_code == 302
    assert client.get("/api/v1/tasks").status_code == 401


def test_a_confidential_meeting_hides_its_conclusions(client, office):
    secret_meeting = office.book("Họp về công tác cán bộ", start="2026-12-01T14:00", end="2026-12-01T15:00",
                                 visibility="confidential")
    office.conclusion("Kết luận mật.", meeting=secret_meeting)
    assert client.get(f"/api/v1/meetings/{secret_meeting}/conclusions",
                      headers=office.token(office.member)).status_code == 404
    assert client.get(f"/api/v1/meetings/{secret_meeting}/conclusions",
                      headers=office.token(office.minister)).status_code == 200


def test_the_list_rule_agrees_with_task_rights(app, office):
    """Tasks of every shape, users of every kind: SQL and Python give the same answer."""
    conclusion = office.conclusion()
    office.task("Theo kết luận", conclusion_id=conclusion)
    office.task("Trực tiếp", unit=office.finance, leader_id=office.deputy.id)
    office.task("Có phối hợp", unit=office.climate, cooperating_unit_ids=[office.legal])
    office.task("Có người phụ trách", unit=office.finance, assignee_id=office.legal_staff.id)
    other_meeting = office.book("Họp khác", start="2026-12-01T10:00", end="2026-12-01T11:00", leaders=[office.deputy])
    office.task("Từ họp khác", unit=office.climate, meeting_id=other_meeting)
    with app.app_context():
        tasks = list(db.session.scalars(select(Task)))
        for user in db.session.scalars(select(User)):
            by_sql = set(db.session.scalars(select(Task.id).where(visible_tasks(user))))
            by_rule = {t.id for t in tasks if task_rights(user, t).see}
            assert by_sql == by_rule, user.name
        minister = db.session.get(User, office.minister.id)
        assert {t.title for t in tasks if task_rights(minister, t).see} == {"Theo kết luận"}


def test_completion_file_only_for_those_who_see_the_task(client, office):
    task_id = office.task()
    sign_in(client, office.legal_head)
    client.post(f"/tasks/{task_id}/change", data={"status": "done", "note": "Xong.", "version": "1",
                                                 "report_file": (io.BytesIO(b"%PDF-1.4 bao cao"), "Báo cáo.pdf")},
                content_type="multipart/form-data")
    download = client.get(f"/tasks/{task_id}/report-file")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 bao cao"
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    client.post("/logout")
    sign_in(client, office.climate_head)
    assert client.get(f"/tasks/{task_id}/report-file").status_code == 404


def test_a_completion_file_comes_back_under_its_cleaned_base_name(client, office):
    task_id = office.task()
    sign_in(client, office.legal_head)
    client.post(f"/tasks/{task_id}/change", data={"status": "done", "note": "Xong.", "version": "1",
                                                 "report_file": (io.BytesIO(b"%PDF-1.4"), "../../x/Báo cáo<1>.pdf")},
                content_type="multipart/form-data")
    download = client.get(f"/tasks/{task_id}/report-file")
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"Bao cao_1_.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o_1_.pdf")
    download.close()
