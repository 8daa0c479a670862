"""Telling people things: notify() records an in-app notification and queues its e-mail, in the
caller's transaction, so the notification exists exactly when the change that caused it does."""
import re
from datetime import datetime
from html import escape

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from meetings.directory.models import User
from meetings.errors import ValidationFailed
from meetings.extensions import db
from meetings.notify.kinds import CHANNELS, KINDS
from meetings.notify.models import Notification, NotificationPreference, OutboxEmail, ReminderSetting
from meetings.realtime import publish, user_room


def wants(user: User, kind: str, channel: str) -> bool:
    choice = db.session.get(NotificationPreference, (user.id, kind, channel))
    return True if choice is None else choice.enabled


def set_preference(user: User, kind: str, channel: str, enabled: bool) -> None:
    if kind not in KINDS or channel not in CHANNELS:
        raise ValidationFailed({"kind": _("Unknown kind or channel.")})
    choice = db.session.get(NotificationPreference, (user.id, kind, channel))
    if choice is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel, enabled=enabled))
    else:
        choice.enabled = enabled


def queue_email(to_address: str, subject: str, body_text: str, now: datetime, *, to_name: str | None = None,
                body_html: str | None = None, calendar_ics: str | None = None,
                calendar_method: str | None = None, dedupe_key: str | None = None) -> OutboxEmail | None:
    """Queue an e-mail in the current transaction; with a dedupe_key already used, do nothing."""
    if dedupe_key and db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key)):
        return None
    email = OutboxEmail(to_address=to_address, to_name=to_name, subject=subject, body_text=body_text,
                        body_html=body_html, calendar_ics=calendar_ics, calendar_method=calendar_method,
                        dedupe_key=dedupe_key, status="queued", attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(email)
    return email


def notify(user: User, kind: str, title: str, now: datetime, *, url: str | None = None,
           dedupe_key: str | None = None, email_text: str | None = None, email_html: str | None = None,
           calendar_ics: str | None = None, calendar_method: str | None = None,
           channels: tuple[str, ...] = CHANNELS) -> Notification | None:
    """Record one notification (and its e-mail) for `user`; None when already sent or not wanted in
    the app (the e-mail may still be queued: its own dedupe key keeps that to one).

    Does not commit: the caller's transaction decides, so a sweeper marks the thing done and records
    the notification in one step, and a crash never leaves one without the other.
    """
    if dedupe_key and db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
        return None
    notification = None
    if "app" in channels and wants(user, kind, "app"):
        notification = Notification(user_id=user.id, kind=kind, title=title, url=url, dedupe_key=dedupe_key,
                                    created_at=now)
        db.session.add(notification)
        db.session.flush()
        publish("notification", {"id": notification.id, "kind": kind, "title": title, "url": url,
                                 "unread": unread_count(user)}, room=user_room(user.id))
    if "email" in channels and wants(user, kind, "email") and user.email and user.active:
        text = email_text or title
        queue_email(user.email, title, text, now, to_name=user.name, body_html=email_html or plain_to_html(text),
                    calendar_ics=calendar_ics, calendar_method=calendar_method,
                    dedupe_key=f"u{user.id}:{dedupe_key}" if dedupe_key else None)
    return notification


_LINK = re.compile(r"(https?://[^\s<]+)")


def plain_to_html(text: str) -> str:
    """The HTML part of an e-mail from its text: escaped, one paragraph a line, links clickable."""
    paragraphs = []
    for line in text.splitlines():
        if line.strip():
            paragraphs.append("<p>" + _LINK.sub(r'<a href="\1">\1</a>', escape(line)) + "</p>")
    return ('<!doctype html><html lang="vi"><meta charset="utf-8"><body style="font-family:sans-serif">'
            + "".join(paragraphs) + "</body></html>")


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(user: User, ids: list[int] | None, now: datetime) -> int:
    """Mark some (or, with ids=None, all) of the user's notifications read; others' ids are ignored."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise ValidationFailed({"ids": _("Expected a list of whole numbers.")})
        query = query.where(Notification.id.in_(ids))
    count = db.session.execute(query.values(read_at=now)).rowcount
    publish("notifications_read", {"unread": unread_count(user)}, room=user_room(user.id))
    db.session.commit()
    return count


# The office's defaults, used while a person has not chosen their own reminder times.
DEFAULT_TIMES = {"day_before_at": "16:00", "minutes_before": 30, "digest_at": "17:00"}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def reminder_times(user: User) -> dict:
    row = db.session.get(ReminderSetting, user.id)
    if row is None:
        return dict(DEFAULT_TIMES)
    return {"day_before_at": row.day_before_at, "minutes_before": row.minutes_before, "digest_at": row.digest_at}


def set_reminder_times(user: User, day_before_at: str, minutes_before: str, digest_at: str) -> None:
    """Empty means "none". Times are 24-hour local clock times, e.g. 16:00."""
    errors = {}
    clocks = {}
    for name, value in (("day_before_at", day_before_at), ("digest_at", digest_at)):
        value = (value or "").strip()
        match = _CLOCK.match(value)
        if value and not match:
            errors[name] = _("Write a time as HH:MM, e.g. 16:00.")
        clocks[name] = f"{int(match.group(1)):02d}:{match.group(2)}" if match else None
    minutes = (minutes_before or "").strip()
    if minutes and not (minutes.isdigit() and 1 <= int(minutes) <= 24 * 60):
        errors["minutes_before"] = _("Minutes before: a whole number from 1 to 1440.")
    if errors:
        raise ValidationFailed(errors)
    row = db.session.get(ReminderSetting, user.id) or ReminderSetting(user_id=user.id)
    row.day_before_at, row.digest_at = clocks["day_before_at"], clocks["digest_at"]
    row.minutes_before = int(minutes) if minutes else None
    db.session.add(row)
