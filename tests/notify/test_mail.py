"""The e-mail outbox against a real SMTP server: parts, retries with backoff, nothing lost or doubled."""
import smtplib
import threading
from datetime import timedelta

from sqlalchemy import select

from meetings.extensions import db
from meetings.notify import mail
from meetings.notify.models import OutboxEmail
from meetings.notify.services import queue_email
from meetings.timeutil import now_utc

ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def queue(app, now, **extra):
    with app.app_context():
        queue_email("an@example.gov.vn", "Mời họp: Giao ban tuần", "Kính mời đồng chí dự họp.", now,
                    to_name="Nguyễn Văn An", **extra)
        db.session.commit()


def status(app):
    with app.app_context():
        return [(e.status, e.attempts) for e in db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id))]


def test_message_arrives_with_text_html_and_invitation_parts(mail_app, smtp_server):
    now = now_utc()
    queue(mail_app, now, body_html="<p>Kính mời đồng chí dự họp.</p>", calendar_ics=ICS, calendar_method="REQUEST")
    with mail_app.app_context():
        assert mail.deliver_due(now) == {"sent": 1, "retry": 0, "failed": 0}
    [message] = smtp_server.messages
    assert message["Subject"] == "Mời họp: Giao ban tuần"
    assert "Nguyễn Văn An" in message["To"]
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part for part in message.iter_parts()}
    assert set(parts) == {"text/plain", "text/html", "text/calendar"}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    assert "Kính mời" in parts["text/plain"].get_content()
    with mail_app.app_context():
        assert mail.deliver_due(now + timedelta(minutes=5))["sent"] == 0  # sent once only
    assert len(smtp_server.messages) == 1


def test_failures_are_retried_with_backoff_then_sent(mail_app, smtp_server):
    now = now_utc()
    queue(mail_app, now)

    def down(message):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with mail_app.app_context():
        assert mail.deliver_due(now, send=down)["retry"] == 1
        assert mail.deliver_due(now + timedelta(seconds=30))["sent"] == 0  # not due yet: backoff
        assert mail.deliver_due(now + timedelta(minutes=1, seconds=1))["sent"] == 1
    assert status(mail_app) == [("sent", 2)]
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_it_is_failed_and_an_admin_can_requeue(mail_app, smtp_server):
    now = now_utc()
    queue(mail_app, now)

    def refused(message):
        raise ConnectionRefusedError("no SMTP server")

    with mail_app.app_context():
        moment = now
        for _ in range(mail.MAX_ATTEMPTS):
            mail.deliver_due(moment, send=refused)
            moment += timedelta(days=1)
        assert status(mail_app) == [("failed", mail.MAX_ATTEMPTS)]
        assert mail.deliver_due(moment)["sent"] == 0
        email_id = db.session.scalar(select(OutboxEmail.id))
        mail.requeue(email_id, moment)
        assert mail.deliver_due(moment)["sent"] == 1
    assert len(smtp_server.messages) == 1


def test_a_sender_that_died_mid_send_is_taken_over_later(mail_app, smtp_server):
    now = now_utc()
    queue(mail_app, now)
    with mail_app.app_context():
        assert mail._claim(now, 10)  # claimed, then the process "dies" before sending
        assert mail.deliver_due(now + timedelta(minutes=1))["sent"] == 0  # still claimed by the dead one
        assert mail.deliver_due(now + mail.CLAIM_TIMEOUT + timedelta(minutes=1))["sent"] == 1
    assert len(smtp_server.messages) == 1


def test_two_senders_at_once_send_each_message_once(mail_app, smtp_server):
    now = now_utc()
    for _ in range(20):
        queue(mail_app, now)
    barrier = threading.Barrier(2)
    results = []

    def sender():
        with mail_app.app_context():
            barrier.wait()
            results.append(mail.deliver_due(now)["sent"])

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 20
    assert len(smtp_server.messages) == 20
    assert {m["Message-ID"] for m in smtp_server.messages}.__len__() == 20


def test_dedupe_key_queues_once(mail_app):
    now = now_utc()
    queue(mail_app, now, dedupe_key="reminder:1:2")
    queue(mail_app, now, dedupe_key="reminder:1:2")
    assert len(status(mail_app)) == 1
