"""Telling a meeting's participants: its publication, a move or cancellation, its start, its documents.

Each message goes through notify() in the change's own transaction (in the app and by e-mail, as each
person chose) under a dedupe key naming what it is about, so nobody hears of one thing twice however
often a service, a listener or the scheduler passes over it. Invitations carry the feeds' own iTIP
part (same UID, same SEQUENCE), so a mail client updates the entry the feeds already show. The
calendar's plain invitations leave a meeting's participants to this module.
"""
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from meetings import jobs
from meetings.calendar import hooks
from meetings.dossiers.access import can_see_document, can_see_meeting
from meetings.dossiers.calendar_link import is_leader
from meetings.dossiers.models import Meeting
from meetings.extensions import db
from meetings.feeds import invitations, itip
from meetings.feeds.feed import context
from meetings.notify.services import notify
from meetings.timeutil import format_datetime
from meetings.web import link_to


def _people(meeting: Meeting, only=None) -> list:
    return [p.user for p in meeting.participants if p.user is not None and p.user.active
            and (only is None or p.user_id in only) and can_see_meeting(p.user, meeting)]


def _locale(user):
    return force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"])


def _text(meeting: Meeting, headline: str, user) -> str:
    event = meeting.event
    place = ", ".join(p for p in (event.room.name if event.room else None, event.location) if p)
    chair = next((p.user for p in meeting.participants if p.role == "chair" and p.user), None)
    lines = [headline, _("Time: %(when)s", when=format_datetime(event.start_at))]
    if place:
        lines.append(_("Place: %(place)s", place=place))
    if chair is not None:
        lines.append(_("Chaired by: %(name)s", name=chair.name))
    if event.online_url:
        lines.append(event.online_url)
    if event.status == "cancelled" and event.cancel_reason:
        lines.append(_("Reason: %(reason)s", reason=event.cancel_reason))
    documents = [d.title for d in meeting.documents if d.readable and can_see_document(user, d)]
    if documents and event.status != "cancelled":
        lines.append(_("Documents:") + "\n" + "\n".join(f"- {title}" for title in documents))
    lines.append(link_to("dossiers.meeting", external=True, meeting_id=meeting.id))
    return "\n".join(lines)


def _tell(meeting: Meeting, people, kind: str, headline, key: str, now: datetime, method: str | None) -> int:
    """`headline` is a function, called in each person's language."""
    told, ctx = 0, context()
    for user in people:
        with _locale(user):
            title = headline()[:300]
            ics = itip.message(meeting.event, method, now, ctx) if method else None
            if notify(user, kind, title, now, url=link_to("dossiers.meeting", meeting_id=meeting.id),
                      dedupe_key=key, email_text=_text(meeting, title, user), calendar_ics=ics,
                      calendar_method=method):
                told += 1
    return told


def _when(meeting: Meeting) -> str:
    return format_datetime(meeting.event.start_at)


def published(meeting: Meeting, now: datetime, only=None) -> int:
    """The invitation, then each document added while the meeting was a draft (once per version)."""
    # People added after publication are invited as of their addition: someone taken out (their
    # invitation withdrawn, `uninvited`) and put back is invited again.
    key = f"meeting:{meeting.id}:published" + (f":{now.isoformat()}" if only is not None else "")
    told = _tell(meeting, _people(meeting, only), "meeting_published",
                 lambda: _("Meeting invitation: %(title)s, %(when)s", title=meeting.event.title, when=_when(meeting)),
                 key, now, "REQUEST")
    for document in meeting.documents:
        document_added(document, now, only=only)
    # Their stamped copies are made now, in the worker, rather than when each first opens them.
    jobs.enqueue_after_commit("prepare_copies", meeting.id, now.isoformat())
    return told


def document_added(document, now: datetime, updated: bool = False, only=None) -> int:
    """A new document, or a new content for one: its readers hear of each version once."""
    meeting = document.meeting
    if meeting.status == "draft":
        return 0  # announced with the invitation, at publication
    title = meeting.event.title
    readers = [u for u in _people(meeting, only) if can_see_document(u, document)]
    told = 0
    for user in readers:
        with _locale(user):
            text = (_("Updated document for %(meeting)s: %(title)s", meeting=title, title=document.title)
                    if updated else
                    _("New document for %(meeting)s: %(title)s", meeting=title, title=document.title))
            if notify(user, "document", text[:300], now, url=link_to("dossiers.meeting", meeting_id=meeting.id),
                      dedupe_key=f"doc:{document.id}:v{document.current_version}"):
                told += 1
    return told


def status_changed(meeting: Meeting, was: str, now: datetime) -> None:
    if was == "draft" and meeting.status != "draft":
        published(meeting, now)
    if meeting.status == "in_progress":
        started(meeting, now)


def started(meeting: Meeting, now: datetime) -> int:
    """The start, pressed by the secretary or reached by the clock (the scheduler's status sweeper)."""
    return _tell(meeting, _people(meeting), "meeting_started",
                 lambda: _("The meeting has started: %(title)s", title=meeting.event.title),
                 f"meeting:{meeting.id}:started", now, None)


def uninvited(meeting: Meeting, user, now: datetime) -> bool:
    """Someone taken out of a published meeting: the invitation they were sent is withdrawn, an iTIP
    CANCEL with the entry's UID (their mail client takes it off their calendar), in the app without a
    link to a meeting they can no longer open. Nothing for a draft (never sent) or a cancelled one."""
    if meeting.status == "draft" or meeting.event.status == "cancelled" or user is None or not user.active:
        return False
    with _locale(user):
        title = _("You no longer take part in: %(title)s, %(when)s", title=meeting.event.title,
                  when=_when(meeting))[:300]
        ics = itip.message(meeting.event, "CANCEL", now, context(), removed=[user])
        return notify(user, "schedule_change", title, now, dedupe_key=f"uninvited:{meeting.id}:{now.isoformat()}",
                      email_text=title, calendar_ics=ics, calendar_method="CANCEL") is not None


@hooks.listen
def entry_changed(event, changes: dict, actor, now, created: bool = False) -> None:
    """A published meeting's entry moved or cancelled (from the calendar's pages or API)."""
    meeting = db.session.get(Meeting, event.id)
    if meeting is None or meeting.status == "draft":
        return
    if event.status == "cancelled" and "status" in changes:
        # The calendar's cancellation sweeper uses this same key: it finds it done and says nothing more.
        _tell(meeting, _people(meeting), "schedule_change",
              lambda: _("Cancelled: %(title)s, %(when)s", title=event.title, when=_when(meeting)),
              f"cancelled:{event.id}:{event.sequence}", now, "CANCEL")
    elif event.status == "published" and invitations.TIME_OR_PLACE & set(changes):
        _tell(meeting, _people(meeting), "schedule_change",
              lambda: _("Meeting moved: %(title)s, now %(when)s", title=event.title, when=_when(meeting)),
              f"meeting:{meeting.id}:moved:{event.sequence}", now, "REQUEST")


@invitations.told_elsewhere
def _participants(event) -> set[int]:
    """A meeting's people, and the leaders just put on its entry (they join it in the same change)."""
    meeting = db.session.get(Meeting, event.id)
    if meeting is None:
        return set()
    return {p.user_id for p in meeting.participants} | {link.user_id for link in event.leaders
                                                        if is_leader(link.user)}
