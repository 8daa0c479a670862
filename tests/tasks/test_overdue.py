"""Overdue is decided in the office's zone: a task due 2 December is overdue from 00:00 on
3 December in Hà Nội, which is 17:00 UTC on 2 December, whatever zone the server runs in."""
import pytest

from meetings.extensions import db
from meetings.tasks import services
from meetings.tasks.dates import days_overdue, done_late, local_today
from tests.tasks.conftest import local


def overdue_at(app, task_id, moment):
    with app.app_context():
        return days_overdue(services.get_task(task_id), local_today(moment))


def test_overdue_from_local_midnight(app, office):
    task_id = office.task(due="2026-12-02")
    assert overdue_at(app, task_id, local("2026-12-02 23:59")) is None
    assert local("2026-12-03 00:00").isoformat() == "2026-12-02T17:00:00+00:00"
    assert overdue_at(app, task_id, local("2026-12-03 00:00")) == 1
    assert overdue_at(app, task_id, local("2026-12-09 08:00")) == 7


def test_the_app_zone_decides_not_utc(make_app, tmp_path):
    """The same instant is 2 December in UTC but 3 December in Hà Nội, and 2 December in Paris."""
    instant = local("2026-12-03 00:30")  # 17:30 UTC on the 2nd
    hanoi = make_app(MEETINGS_TIMEZONE="Asia/Ho_Chi_Minh")
    with hanoi.app_context():
        assert str(local_today(instant)) == "2026-12-03"
    paris = make_app(MEETINGS_TIMEZONE="Europe/Paris")
    with paris.app_context():
        assert str(local_today(instant)) == "2026-12-02"


def test_api_lists_overdue_with_days(client, office, app):
    late = office.task("Quá hạn", due="2026-12-03")
    office.task("Chưa đến hạn", due="2026-12-20")
    done = office.task("Đã xong", due="2026-12-03")
    office.change(done, office.legal_head, status="done", note="Xong.")
    app.config["MEETINGS_FAKE_NOW"] = local("2026-12-05 09:00")
    body = client.get("/api/v1/tasks?status=overdue", headers=office.token(office.secretary)).json
    assert [(t["id"], t["days_overdue"]) for t in body["tasks"]] == [(late, 2)]
    opened = client.get("/api/v1/tasks?status=open", headers=office.token(office.secretary)).json
    assert {t["title"]: t["days_overdue"] for t in opened["tasks"]} == {"Quá hạn": 2, "Chưa đến hạn": None}
    finished = client.get("/api/v1/tasks?status=done", headers=office.token(office.secretary)).json
    assert [t["id"] for t in finished["tasks"]] == [done]
    by_unit = client.get(f"/api/v1/tasks?unit_id={office.finance}", headers=office.token(office.secretary)).json
    assert by_unit["tasks"] == []
    assert client.get("/api/v1/tasks?status=late", headers=office.token(office.secretary)).status_code == 422


@pytest.mark.parametrize("finished, late", [("2026-12-04 23:59", False), ("2026-12-05 00:00", True)])
def test_done_late_is_judged_by_the_local_day_of_completion(app, office, finished, late):
    task_id = office.task(due="2026-12-04")
    office.change(task_id, office.legal_head, now=local(finished), status="done", note="Xong.")
    with app.app_context():
        task = services.get_task(task_id)
        assert done_late(task) is late
        db.session.rollback()
