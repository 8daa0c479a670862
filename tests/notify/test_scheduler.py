"""The scheduler: one at a time (advisory lock or lease), sweepers that send once, `--once` from the CLI."""
import threading
from datetime import timedelta

from sqlalchemy import create_engine, text

from meetings.extensions import db
from meetings.notify import scheduler
from meetings.notify.services import queue_email
from meetings.timeutil import now_utc


def test_lease_keeps_a_second_scheduler_out_until_it_expires(app):
    now = now_utc()
    with app.app_context():
        assert scheduler._try_lease(now, "host-a:1")
        assert not scheduler._try_lease(now + timedelta(seconds=30), "host-b:2")
        assert scheduler._try_lease(now + timedelta(seconds=30), "host-a:1")  # renewal
        assert scheduler._try_lease(now + scheduler.LEASE + timedelta(minutes=1), "host-b:2")  # a dead holder
        assert scheduler.lease_holder() == "host-b:2"


def test_second_scheduler_waits_for_the_first(app):
    """Whatever the database, a second scheduler blocks in scheduler_lock until the first leaves."""
    order = []
    first_in = threading.Event()
    release = threading.Event()

    def first():
        with app.app_context(), scheduler.scheduler_lock(now_utc, wait=lambda s: release.wait(0.05)):
            order.append("first in")
            first_in.set()
            release.wait(10)
            order.append("first out")

    def second():
        first_in.wait(10)
        with app.app_context(), scheduler.scheduler_lock(now_utc, wait=lambda s: release.wait(0.05)):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(10)
    assert order == ["first in"]
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def test_postgres_lock_is_an_advisory_lock(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return  # SQLite uses the lease, tested above
        with scheduler.scheduler_lock(now_utc):
            other = create_engine(db.engine.url)
            with other.connect() as conn:
                taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": scheduler.PG_LOCK_KEY}).scalar()
            other.dispose()
        assert taken is False


def test_scheduler_once_from_the_cli_sends_due_mail_once(make_app):
    from tests.conftest import Inbox, free_port
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
        with app.app_context():
            queue_email("an@example.gov.vn", "Nhắc lịch", "Họp lúc 14:00", now_utc() - timedelta(minutes=1))
            db.session.commit()
        runner = app.test_cli_runner()
        first = runner.invoke(args=["scheduler", "--once"])
        second = runner.invoke(args=["scheduler", "--once"])
        assert first.exit_code == 0, first.output
        assert "deliver_email: {'sent': 1" in first.output
        assert "deliver_email: {'sent': 0" in second.output
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_the_scheduler_process_knows_every_features_jobs(runner):
    """Jobs register when their feature is imported by create_app, not only when a test imports them."""
    from meetings.notify.scheduler import JOBS

    assert {"deliver_email", "purge_notifications", "calendar_reminders", "calendar_digest",
            "calendar_draft_week", "calendar_cancellations"} <= set(JOBS)


def test_a_pass_can_be_run_as_of_a_given_moment_and_odd_moments_are_refused(runner):
    """`--now` (tests of other processes inject time with it; an operator may replay a missed pass)."""
    ran = runner.invoke(args=["scheduler", "--once", "--now", "2026-12-02T08:00+07:00"])
    assert ran.exit_code == 0, ran.output
    assert "calendar_reminders: " in ran.output
    for odd in ("2026-12-02T08:00", "hôm qua", "2026-13-40T08:00+07:00", "\x00"):
        refused = runner.invoke(args=["scheduler", "--once", "--now", odd])
        assert refused.exit_code == 2 and "--now" in refused.output, (odd, refused.output)
    alone = runner.invoke(args=["scheduler", "--now", "2026-12-02T08:00+07:00"])
    assert alone.exit_code == 2 and "--once" in alone.output
