"""Telling people things: notify() records an in-app notification and queues its e-mail, in the
caller's transaction, so the notification exists exactly when the change that caused it does."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from meetings.directory.models import User
from meetings.errors import ValidationFailed
from meetings.extensions import db
from meetings.notify.kinds import CHANNELS, KINDS
from meetings.notify.models import Notification, NotificationPreference, OutboxEmail
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
           calendar_ics: str | None = None, calendar_method: str | None = None) -> Notification | None:
    """Record one notification (and its e-mail) for `user`; None when already sent or switched off.

    Does not commit: the caller's transaction decides, so a sweeper marks the thing done and records
    the notification in one step, and a crash never leaves one without the other.
    """
    if dedupe_key and db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
        return None
    notification = None
    if wants(user, kind, "app"):
        notification = Notification(user_id=user.id, kind=kind, title=title, url=url, dedupe_key=dedupe_key,
                                    created_at=now)
        db.session.add(notification)
        db.session.flush()
        publish("notification", {"id": notification.id, "kind": kind, "title": title, "url": url,
                                 "unread": unread_count(user)}, room=user_room(user.id))
    if wants(user, kind, "email") and user.email and user.active:
        queue_email(user.email, title, email_text or title, now, to_name=user.name, body_html=email_html,
                    calendar_ics=calendar_ics, calendar_method=calendar_method,
                    dedupe_key=f"u{user.id}:{dedupe_key}" if dedupe_key else None)
    return notification


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
