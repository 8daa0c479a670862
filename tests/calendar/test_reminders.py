"""Reminders, digests and the Thursday draft check: due once, moved with the entry, dropped when
cancelled or the person is removed, once even across restarts and two schedulers."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from meetings.calendar import reminders, services
from meetings.directory import services as directory
from meetings.extensions import db
from meetings.notify import scheduler
from meetings.notify.models import Notification, OutboxEmail
from tests.calendar.conftest import NOW

ZONE_OFFSET = timedelta(hours=7)


def local(text: str) -> datetime:
    """'2026-12-02 16:00' in Hà Nội, as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) - ZONE_OFFSET


def run(app, sweeper, at: str):
    with app.app_context():
        return sweeper(local(at))


def inbox(app, user=None, kind=None) -> list[str]:
    with app.app_context():
        query = select(Notification).order_by(Notification.id)
        if user is not None:
            query = query.where(Notification.user_id == user.id)
        if kind is not None:
            query = query.where(Notification.kind == kind)
        return [n.title for n in db.session.scalars(query)]


@pytest.fixture
def thursday_meeting(office):
    """Thursday 3 December 08:00-09:30, the minister chairing, Ms Thu taking part."""
    return office.book("Họp giao ban Bộ", start="2026-12-03T08:00", end="2026-12-03T09:30",
                       participant_ids=[office.member.id], room_id=office.room)


def test_day_before_and_half_an_hour_before_each_once(app, office, thursday_meeting):
    assert run(app, reminders.send_reminders, "2026-12-02 15:59") == 0
    assert run(app, reminders.send_reminders, "2026-12-02 16:00") == 2  # the minister and Ms Thu
    assert run(app, reminders.send_reminders, "2026-12-02 16:05") == 0
    assert inbox(app, office.minister) == ["Nhắc lịch: Họp giao ban Bộ, 08:00 Thứ Năm, 03/12/2026"]
    assert run(app, reminders.send_reminders, "2026-12-03 07:29") == 0
    assert run(app, reminders.send_reminders, "2026-12-03 07:31") == 2
    assert run(app, reminders.send_reminders, "2026-12-03 08:00") == 0  # it has started
    assert len(inbox(app, office.member)) == 2
    with app.app_context():  # and one e-mail each (besides the invitations the booking sent)
        assert db.session.query(OutboxEmail).filter(OutboxEmail.subject.startswith("Nhắc lịch")).count() == 4


def test_restart_between_due_time_and_sending_sends_once(app, office, thursday_meeting, monkeypatch):
    calls = {"n": 0}
    real_notify = reminders.notify

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("scheduler killed")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(reminders, "notify", crash_on_second)
    with pytest.raises(RuntimeError):
        run(app, reminders.send_reminders, "2026-12-02 16:00")
    with app.app_context():
        db.session.rollback()  # what the dead process's transaction amounts to
    assert inbox(app) == []
    monkeypatch.setattr(reminders, "notify", real_notify)
    assert run(app, reminders.send_reminders, "2026-12-02 16:10") == 2  # the restarted scheduler
    assert run(app, reminders.send_reminders, "2026-12-02 16:20") == 0
    assert len(inbox(app)) == 2


def test_two_schedulers_started_together_send_once(app, office, thursday_meeting):
    barrier = threading.Barrier(2)
    errors = []

    def one_scheduler():
        try:
            with app.app_context():
                barrier.wait(5)
                # The second one polls the lock without pausing until the first lets go.
                with scheduler.scheduler_lock(lambda: local("2026-12-02 16:00"), wait=lambda seconds: None):
                    scheduler.run_all_once(local("2026-12-02 16:00"))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(inbox(app, kind="reminder")) == 2


def test_moving_the_entry_moves_its_reminders(app, office, thursday_meeting):
    with app.app_context():
        services.update_event(thursday_meeting, {"start": "2026-12-04T14:00", "end": "2026-12-04T15:00"},
                              directory.get_user(office.secretary.id), NOW)
    assert run(app, reminders.send_reminders, "2026-12-02 16:00") == 0  # not for Thursday any more
    assert run(app, reminders.send_reminders, "2026-12-03 16:00") == 2
    assert "14:00 Thứ Sáu, 04/12/2026" in inbox(app, office.minister)[0]


def test_cancelling_sends_a_cancellation_instead(app, office, thursday_meeting):
    with app.app_context():
        services.cancel_event(thursday_meeting, "Bộ trưởng đi công tác", directory.get_user(office.secretary.id), NOW)
    assert run(app, reminders.send_reminders, "2026-12-02 16:00") == 0
    assert run(app, reminders.announce_cancellations, "2026-12-02 10:01") == 2
    assert run(app, reminders.announce_cancellations, "2026-12-02 10:02") == 0
    assert inbox(app, office.member) == ["Đã hủy: Họp giao ban Bộ, 08:00 Thứ Năm, 03/12/2026"]
    with app.app_context():  # the e-mail for it is the calendar's iTIP cancellation, not a second one
        emails = db.session.scalars(select(OutboxEmail)).all()
        assert not [e for e in emails if e.subject.startswith("Đã hủy") and e.calendar_method is None]
        assert {e.to_address for e in emails if e.calendar_method == "CANCEL"} == {
            office.minister.email, office.member.email}


def test_a_person_removed_gets_no_reminder(app, office, thursday_meeting):
    with app.app_context():
        services.update_event(thursday_meeting, {"participant_ids": []}, directory.get_user(office.secretary.id), NOW)
    run(app, reminders.send_reminders, "2026-12-02 16:00")
    assert inbox(app, office.member) == [] and len(inbox(app, office.minister)) == 1


def test_own_reminder_times_are_honoured(app, office, thursday_meeting):
    from meetings.notify.models import ReminderSetting

    with app.app_context():
        db.session.add(ReminderSetting(user_id=office.member.id, day_before_at=None, minutes_before=60))
        db.session.commit()
    run(app, reminders.send_reminders, "2026-12-02 16:00")
    assert inbox(app, office.member) == []
    run(app, reminders.send_reminders, "2026-12-03 07:00")
    assert len(inbox(app, office.member)) == 1


def test_digest_lists_exactly_tomorrows_visible_entries(app, office):
    office.book("Họp giao ban Bộ", start="2026-12-03T08:00", end="2026-12-03T09:00")
    office.book("Tiếp Đại sứ", start="2026-12-03T14:00", end="2026-12-03T15:00", leaders=[office.deputy])
    office.book("Dự thảo chưa công bố", start="2026-12-03T10:00", end="2026-12-03T11:00", status="draft")
    office.book("Hôm nay", start="2026-12-02T14:00", end="2026-12-02T15:00")
    office.book("Ngày kia", start="2026-12-04T14:00", end="2026-12-04T15:00")
    assert run(app, reminders.send_digests, "2026-12-02 16:59") == 0
    assert run(app, reminders.send_digests, "2026-12-02 17:00") == 3  # two leaders and the secretary
    assert run(app, reminders.send_digests, "2026-12-02 17:10") == 0
    with app.app_context():
        digests = select(OutboxEmail).where(OutboxEmail.subject.startswith("Lịch ngày mai"))
        emails = {e.to_address: e.body_text for e in db.session.scalars(digests)}
    minister = emails[office.minister.email]
    assert "Họp giao ban Bộ" in minister and "Tiếp Đại sứ" not in minister
    assert "Dự thảo" not in minister and "Hôm nay" not in minister and "Ngày kia" not in minister
    secretary = emails[office.secretary.email]
    assert "Họp giao ban Bộ" in secretary and "Tiếp Đại sứ" in secretary and "Dự thảo" not in secretary
    assert office.member.email not in emails


def test_no_digest_when_there_is_nothing_to_say(app, office):
    assert run(app, reminders.send_digests, "2026-12-02 17:00") == 0


def test_thursday_reminder_when_next_week_is_still_a_draft(app, office):
    office.book("Họp tuần sau", start="2026-12-08T08:00", end="2026-12-08T09:00", status="draft")
    assert run(app, reminders.remind_draft_week, "2026-12-02 10:00") == 0  # Wednesday
    assert run(app, reminders.remind_draft_week, "2026-12-03 09:00") == 1  # Thursday: the secretary
    assert run(app, reminders.remind_draft_week, "2026-12-03 09:30") == 0
    assert inbox(app, office.secretary) == ["Lịch công tác tuần sau (2026-W50) vẫn là dự thảo"]


def test_reminder_email_has_text_html_and_the_entry_as_ics(app, office, thursday_meeting):
    from icalendar import Calendar

    run(app, reminders.send_reminders, "2026-12-02 16:00")
    with app.app_context():
        email = db.session.scalars(select(OutboxEmail).where(OutboxEmail.subject.startswith("Nhắc lịch"),
                                                             OutboxEmail.to_address == office.member.email)).one()
        assert "Họp giao ban Bộ" in email.body_text and "<p>" in email.body_html
        assert email.calendar_method == "PUBLISH"
        [vevent] = Calendar.from_ical(email.calendar_ics).walk("VEVENT")
        assert str(vevent["summary"]) == "Họp giao ban Bộ"
        assert str(vevent["uid"]).startswith(f"calendar-event-{thursday_meeting}@")
