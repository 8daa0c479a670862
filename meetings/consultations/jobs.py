"""Reminders on the scheduler: the day before the deadline from 08:00 and on the deadline's day from
08:00 (office zone), once each, to those who have not answered.

A sweeper: every run looks at the sent requests as they are, so an answer given, a request closed or
a deadline moved gets no stale reminder. Each reminder is a Reminder row (recipient, occasion,
deadline) written with the notification in one transaction: a second run, a restart or a second
scheduler finds it and sends nothing again; a new deadline earns its own two reminders.
"""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from meetings.consultations.models import Consultation
from meetings.consultations.notices import remind
from meetings.extensions import db
from meetings.notify.scheduler import job
from meetings.timeutil import app_zone

SEND_FROM = time(8, 0)


def occasion(deadline: datetime, now: datetime) -> str | None:
    """Which reminder is due now: "day_before" on the eve from 08:00, "day_of" on the day from 08:00
    (while the deadline is still ahead), else None. Days and hours are the office's."""
    zone = app_zone()
    local_now, local_deadline = now.astimezone(zone), deadline.astimezone(zone)
    if now >= deadline or local_now.time() < SEND_FROM:
        return None
    if local_now.date() == local_deadline.date():
        return "day_of"
    if local_now.date() == local_deadline.date() - timedelta(days=1):
        return "day_before"
    return None


@job("consultation_reminders", minutes=15)
def send_consultation_reminders(now: datetime) -> int:
    sent = 0
    soon = select(Consultation).where(Consultation.status == "sent", Consultation.deadline > now,
                                      Consultation.deadline <= now + timedelta(days=2)).order_by(Consultation.id)
    for consultation in db.session.scalars(soon):
        due = occasion(consultation.deadline, now)
        if due is None:
            continue
        for recipient in consultation.recipients:
            sent += remind(consultation, recipient, due, now)
    db.session.commit()
    return sent


@job("periodic_report_rounds", minutes=15)
def open_periodic_rounds(now: datetime) -> int:
    """Each periodic report's round for a period, opened once `lead_days` before its deadline."""
    from meetings.consultations.periodic import open_all_due

    return open_all_due(now)
