"""Tasks on the home: the leader's from meetings they chaired (due this week or overdue), a member's own."""
from datetime import timedelta

from tests.calendar.conftest import NOW
from tests.tasks.conftest import TaskOffice, app  # noqa: F401  (the tasks' app: the calendar's fixed now)


def home_of(app, user) -> str:  # noqa: F811
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": user.password})
    return client.get("/").get_data(as_text=True)


def test_the_leader_sees_tasks_of_meetings_they_chaired_due_this_week_or_late(app):  # noqa: F811
    office = TaskOffice(app)
    office.task("Báo cáo tiến độ giải ngân", due="2026-12-04", meeting_id=office.meeting)
    office.task("Rà soát văn bản quá hạn", due="2026-11-27", meeting_id=office.meeting,
                now=NOW - timedelta(days=10))  # given when the date was still ahead
    office.task("Kế hoạch năm sau", due="2026-12-20", meeting_id=office.meeting)
    office.task("Việc không từ cuộc họp", due="2026-12-03")
    page = home_of(app, office.minister)
    assert "Báo cáo tiến độ giải ngân" in page and "Rà soát văn bản quá hạn" in page
    assert page.index("Rà soát văn bản quá hạn") < page.index("Báo cáo tiến độ giải ngân")  # the late one first
    assert "Quá hạn 5 ngày" in page
    assert "Kế hoạch năm sau" not in page and "Việc không từ cuộc họp" not in page


def test_a_member_sees_the_open_tasks_of_their_unit_and_the_empty_state_otherwise(app):  # noqa: F811
    office = TaskOffice(app)
    office.task("Rà soát dự thảo Nghị định", due="2026-12-20")
    assert "Rà soát dự thảo Nghị định" in home_of(app, office.legal_staff)
    page = home_of(app, office.finance_head)
    assert "Rà soát dự thảo Nghị định" not in page and "không có nhiệm vụ nào đang thực hiện" in page
