"""Sending the outbox over SMTP, with retries and backoff; nothing is lost when the server is down.

A message is claimed (status "sending", committed) before it is handed to SMTP and marked sent
after. If the process dies in between, the claim expires and the message is sent again: a rare
duplicate (same Message-ID, which mail clients fold) rather than a lost invitation.
"""
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from sqlalchemy import or_, select, update

from meetings.extensions import db
from meetings.notify.models import OutboxEmail

BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
CLAIM_TIMEOUT = timedelta(minutes=10)


def build_message(email: OutboxEmail, sender: str, domain: str = "meetings.local") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((email.to_name, email.to_address)) if email.to_name else email.to_address
    message["Subject"] = email.subject
    # Stable per outbox row: a retried message is recognisably the same message.
    message["Message-ID"] = make_msgid(idstring=f"outbox-{email.id}", domain=domain)
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    if email.calendar_ics:
        # Inside multipart/alternative with method=, which Outlook, Gmail and Apple Mail show as an invitation.
        if not message.is_multipart():
            message.make_alternative()
        message.add_alternative(email.calendar_ics, subtype="calendar",
                                params={"method": email.calendar_method or "PUBLISH"})
    return message


def smtp_send(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


def _claim(now: datetime, limit: int) -> list[int]:
    """Take due messages for this sender. The conditional UPDATE is the claim: of two senders
    looking at the same row, only one changes it (on SQLite the second waits for the first's commit)."""
    claimable = or_(OutboxEmail.status == "queued",
                    (OutboxEmail.status == "sending") & (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT))
    candidates = list(db.session.scalars(
        select(OutboxEmail.id).where(claimable, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(limit)))
    claimed = []
    for email_id in candidates:
        taken = db.session.execute(update(OutboxEmail).where(OutboxEmail.id == email_id, claimable)
                                   .values(status="sending", claimed_at=now)).rowcount
        if taken:
            claimed.append(email_id)
    db.session.commit()
    return claimed


_told_kept = False


def keep_due(now: datetime) -> int:
    """Development without a mail server: due messages become "held" (readable at /admin/outbox,
    marked as not sent) instead of failing against localhost:25 every minute. One console line says
    so, once per process, rather than one warning per message per retry."""
    global _told_kept
    kept = db.session.execute(update(OutboxEmail).where(OutboxEmail.status == "queued",
                                                        OutboxEmail.next_attempt_at <= now)
                              .values(status="held")).rowcount
    db.session.commit()
    if not _told_kept:
        _told_kept = True
        current_app.logger.warning("E-mail is not sent (no SMTP_HOST in development): messages are kept, "
                                   "unsent, on the outbox page %s/admin/outbox", current_app.config["MEETINGS_BASE_URL"])
    return kept


def deliver_due(now: datetime, send=None, limit: int = 100) -> dict[str, int]:
    """Send what is due; returns counts. `send` is injectable for tests (default: SMTP, or kept in
    the outbox when MAIL_TRANSPORT is "outbox")."""
    if send is None and current_app.config.get("MAIL_TRANSPORT", "smtp") == "outbox":
        return {"sent": 0, "retry": 0, "failed": 0, "held": keep_due(now)}
    send = send or smtp_send
    sender = current_app.config["MAIL_FROM"]
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for email_id in _claim(now, limit):
        email = db.session.get(OutboxEmail, email_id)
        try:
            send(build_message(email, sender))
        except (OSError, smtplib.SMTPException) as exc:
            email.attempts += 1
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = "failed"
                counts["failed"] += 1
                current_app.logger.error("e-mail %s to %s failed for good: %s", email.id, email.to_address, exc)
            else:
                email.status = "queued"
                email.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[email.attempts - 1])
                counts["retry"] += 1
                current_app.logger.warning("e-mail %s to %s will be retried: %s", email.id, email.to_address, exc)
        else:
            email.status, email.sent_at, email.attempts = "sent", now, email.attempts + 1
            counts["sent"] += 1
        db.session.commit()
    return counts


def requeue(email_id: int, now: datetime) -> None:
    """An admin's "try again" on a failed message."""
    email = db.session.get(OutboxEmail, email_id)
    if email is not None and email.status == "failed":
        email.status, email.next_attempt_at, email.attempts = "queued", now, 0
        db.session.commit()
