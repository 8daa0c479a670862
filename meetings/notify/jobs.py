"""The notification feature's own sweepers: send due e-mail, clear out old notifications."""
from datetime import datetime, timedelta

from sqlalchemy import delete

from meetings.extensions import db
from meetings.notify.mail import deliver_due
from meetings.notify.models import Notification
from meetings.notify.scheduler import job

KEEP_READ = timedelta(days=180)


@job("deliver_email", seconds=30)
def deliver_email(now: datetime):
    return deliver_due(now)


@job("purge_notifications", "cron", hour=2, minute=30)
def purge_notifications(now: datetime) -> int:
    removed = db.session.execute(delete(Notification).where(
        Notification.read_at.is_not(None), Notification.read_at < now - KEEP_READ)).rowcount
    db.session.commit()
    return removed
