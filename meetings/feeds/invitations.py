"""Invitations by e-mail when an entry with participants is published, moved, relocated or cancelled.

Queued through notify's outbox in the change's own transaction: the scheduler sends them after
commit, retrying on failure, so a change is never lost for want of a mail server, and a rolled-back
change sends nothing.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from meetings.calendar import hooks
from meetings.feeds import itip
from meetings.feeds.feed import context
from meetings.notify.services import queue_email
from meetings.timeutil import format_datetime

# Changes that make an invitation out of date; other edits reach people through the feeds.
TIME_OR_PLACE = {"start", "end", "all_day", "session", "rrule", "room", "location", "online_url", "occurrence"}
PEOPLE = {"leaders", "participants"}
# Features that invite some of an entry's people themselves (a meeting tells its participants, with
# this same iTIP part, as each of them chose) name them here, so nobody gets two invitations.
TOLD_ELSEWHERE: list = []


_LEFT_OUT: ContextVar[frozenset] = ContextVar("invitations_left_out", default=frozenset())


def told_elsewhere(function):
    """Register `function(event) -> set of user ids` that another feature tells itself."""
    TOLD_ELSEWHERE.append(function)
    return function


@contextmanager
def leaving_out(user_ids):
    """For a change made before the other feature's rows exist (a meeting created published)."""
    token = _LEFT_OUT.set(frozenset(user_ids))
    try:
        yield
    finally:
        _LEFT_OUT.reset(token)


def recipients(event) -> list:
    """Leaders and participants named in person, with an address and an active account. Units as
    a whole are not written to: their members follow the unit's feed."""
    people = [link.user for link in event.leaders] + [p.user for p in event.participants if p.user]
    skip = set(_LEFT_OUT.get()).union(*(function(event) for function in TOLD_ELSEWHERE))
    unique = {user.id: user for user in people
              if user is not None and user.email and user.active and user.id not in skip}
    return list(unique.values())


def method_for(event, changes: dict, created: bool) -> str | None:
    if event.status == "cancelled":
        return "CANCEL" if "status" in changes else None
    if event.status != "published":
        return None
    became_visible = created or changes.get("status", (None, None))[1] == "published"
    if became_visible or TIME_OR_PLACE & set(changes) or PEOPLE & set(changes):
        return "REQUEST"
    return None


def _texts(event, method: str) -> tuple[str, str]:
    when = format_datetime(event.start_at)
    place = ", ".join(p for p in (event.room.name if event.room else None, event.location) if p)
    subject = {"REQUEST": _("Invitation: %(title)s, %(when)s", title=event.title, when=when),
               "CANCEL": _("Cancelled: %(title)s, %(when)s", title=event.title, when=when)}[method]
    lines = [event.title, _("Time: %(when)s", when=when)]
    if place:
        lines.append(_("Place: %(place)s", place=place))
    if event.status == "cancelled" and event.cancel_reason:
        lines.append(_("Reason: %(reason)s", reason=event.cancel_reason))
    return subject[:300], "\n".join(lines)


@hooks.listen
def entry_changed(event, changes: dict, actor, now, created: bool = False) -> None:
    method = method_for(event, changes, created)
    if method is None:
        return
    ctx = context()
    for user in recipients(event):
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject, text = _texts(event, method)
            ics = itip.message(event, method, now, ctx)
        queue_email(user.email, subject, text, now, to_name=user.name, calendar_ics=ics, calendar_method=method,
                    dedupe_key=f"itip:{event.id}:{event.sequence}:{method}:{user.id}")
