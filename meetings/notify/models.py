"""In-app notifications, the e-mail outbox, per-user preferences and the scheduler's lock row."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import UTCDateTime
from meetings.extensions import db


class Notification(db.Model):
    """One thing a user should know. `dedupe_key` makes a sweeper's second pass a no-op."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_user_dedupe"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxEmail(db.Model):
    """An e-mail to send. Written in the same transaction as the change it reports, sent afterwards.

    status: queued -> sending -> sent, or back to queued with a later next_attempt_at after a
    failure, and failed after the last attempt (shown to admins, who may queue it again).
    """

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    calendar_ics: Mapped[str | None] = mapped_column(Text)  # an iTIP part (text/calendar)
    calendar_method: Mapped[str | None] = mapped_column(String(20))  # REQUEST, CANCEL, PUBLISH
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(db.Model):
    """An explicit choice; without a row a kind is on for both channels."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)  # "app" or "email"
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class SchedulerLease(db.Model):
    """On SQLite, the scheduler's lock: one row held by one process until it expires or is released."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReminderSetting(db.Model):
    """A person's own reminder times; without a row the office defaults apply."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day_before_at: Mapped[str | None] = mapped_column(String(5))  # "16:00"; None: no day-before reminder
    minutes_before: Mapped[int | None] = mapped_column(Integer)  # 30; None: none shortly before
    digest_at: Mapped[str | None] = mapped_column(String(5))  # "17:00"; None: no daily digest
