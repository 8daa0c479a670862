"""Task reminders on the scheduler: 3 days and 1 day before the due date and on each overdue day,
to the assignee or else the responsible unit's members; each once, even when the sweeper runs
again or two schedulers run it; none for tasks done or cancelled."""
from sqlalchemy import select

from meetings.extensions import db
from meetings.notify.models import Notification, OutboxEmail
from meetings.tasks.jobs import send_task_reminders
from tests.tasks.conftest import local


def run(app, at: str) -> int:
    with app.app_context():
        return send_task_reminders(local(at))


def inbox(app, user) -> list[str]:
    with app.app_context():
        return [n.dedupe_key for n in db.session.scalars(select(Notification).where(
            Notification.user_id == user.id, Notification.kind == "task").order_by(Notification.id))]


def test_before_due_and_each_overdue_day_once(app, office):
    task_id = office.task(due="2026-12-10", assignee_id=office.legal_staff.id)
    assert run(app, "2026-12-06 09:00") == 0  # four days before
    assert run(app, "2026-12-07 07:59") == 0  # three days before, but before office hours
    assert run(app, "2026-12-07 08:00") == 1
    assert run(app, "2026-12-07 15:00") == 0  # again the same day: nothing
    assert run(app, "2026-12-08 09:00") == 0  # two days before
    assert run(app, "2026-12-09 09:00") == 1
    assert run(app, "2026-12-10 09:00") == 0  # the due day itself is not overdue
    assert run(app, "2026-12-11 08:15") == 1
    assert run(app, "2026-12-11 16:00") == 0
    assert run(app, "2026-12-12 08:15") == 1
    assert inbox(app, office.legal_staff) == [
        f"task:{task_id}:assigned:{office.legal}:{office.legal_staff.id}",
        f"task:{task_id}:due-3d:2026-12-10", f"task:{task_id}:due-1d:2026-12-10",
        f"task:{task_id}:overdue:2026-12-11", f"task:{task_id}:overdue:2026-12-12"]
    assert inbox(app, office.legal_head) == []  # the assignee is told, not the whole unit
    with app.app_context():
        # Only the task's own mail: booking the meeting also sent calendar invitations (iTIP).
        titles = [e.subject for e in db.session.scalars(select(OutboxEmail).where(OutboxEmail.calendar_method.is_(None))
                                                        .order_by(OutboxEmail.id))]
    assert titles[-1] == "Quá hạn 2 ngày: Rà soát dự thảo Nghị định"
    assert titles[1] == "Còn 3 ngày đến hạn (10/12/2026): Rà soát dự thảo Nghị định"


def test_without_assignee_the_units_members_are_told(app, office):
    office.task(due="2026-12-03")
    assert run(app, "2026-12-04 09:00") == 2  # Mr Khải and Mr Bình of Vụ Pháp chế
    assert run(app, "2026-12-04 09:15") == 0


def test_done_and_cancelled_tasks_are_left_alone(app, office):
    done = office.task(due="2026-12-03")
    cancelled = office.task(due="2026-12-03")
    office.change(done, office.legal_head, status="done", note="Xong.")
    office.change(cancelled, office.secretary, status="cancelled", note="Không cần nữa.")
    assert run(app, "2026-12-04 09:00") == 0


def test_an_approved_extension_earns_new_reminders(app, office):
    task_id = office.task(due="2026-12-05")
    assert run(app, "2026-12-04 09:00") == 2  # one day before, both members
    office.change(task_id, office.legal_head, status="extension_requested", due="2026-12-09",
                  note="Cần thêm thời gian.")
    office.change(task_id, office.secretary, status="approved")
    assert run(app, "2026-12-06 09:00") == 2  # three days before the new date
    assert run(app, "2026-12-06 10:00") == 0
