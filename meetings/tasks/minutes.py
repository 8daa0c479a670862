"""Minutes (biên bản): the draft generated from the meeting's record, the secretary's edits, the
chair's approval that freezes the text, and reopening as a new version.

One row per version; exactly one is current (draft or approved), older ones are superseded and stay
readable. Every change locks the meeting, checks the row version the writer read (a stale edit is
refused with the text as it is now, 409 `stale`), and is announced through dossiers' `changed()`.
"""
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from meetings.dossiers.models import Meeting
from meetings.dossiers.services import changed, lock_meeting
from meetings.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.tasks.access import minutes_rights
from meetings.tasks.minutes_text import compose
from meetings.tasks.models import Minutes
from meetings.tasks.present import minutes_json
from meetings.tasks.services import Stale
from meetings.validation import Fields

MAX_BODY = 200_000


class Frozen(Conflict):
    """Approved minutes are frozen: nothing changes them but reopening, which makes a new version."""

    code = "frozen"


def get_meeting(meeting_id: int, user) -> Meeting:
    """The meeting if `user` may read its minutes; NotFound otherwise (the two look alike)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not minutes_rights(user, meeting).read:
        raise NotFound(_("No such meeting."))
    return meeting


def current(meeting: Meeting) -> Minutes | None:
    # populate_existing: read after the meeting's lock, a row the session already holds is refreshed too.
    return db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id, Minutes.current.is_(True))
                             .execution_options(populate_existing=True))


def versions(meeting: Meeting) -> list[Minutes]:
    """Newest first."""
    return list(db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting.id)
                                   .order_by(Minutes.version_no.desc())))


def get_version(meeting: Meeting, version_no: int) -> Minutes:
    row = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id,
                                                  Minutes.version_no == version_no))
    if row is None:
        raise NotFound(_("No such version of the minutes."))
    return row


def draft_text(meeting: Meeting) -> str:
    """Written in the office's language, whoever presses the button: it is the office's document."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return compose(meeting)


def _check_version(row: Minutes, version) -> None:
    if version is None or str(version) != str(row.version):
        raise Stale(_("Someone else changed the minutes; here they are as they are now."),
                    current=minutes_json(row), version=row.version)


def _draft(meeting: Meeting) -> Minutes:
    row = current(meeting)
    if row is None:
        raise NotFound(_("There are no minutes for this meeting yet."))
    if row.frozen:
        raise Frozen(_("The minutes were approved and can no longer be changed; reopen them to make a new "
                       "version."))
    return row


def _change(meeting_id: int, actor, now: datetime, right: str, message: str, action: str, apply) -> Minutes:
    """Lock the meeting, apply the change, announce it and commit; on refusal roll back (and so
    release the lock) with nothing written."""
    meeting = get_meeting(meeting_id, actor)
    if not getattr(minutes_rights(actor, meeting), right):
        raise Forbidden(message)
    lock_meeting(meeting)
    try:
        row = apply(meeting)
    except ServiceError:
        db.session.rollback()
        raise
    db.session.flush()
    changed(meeting, "minutes", {"action": action, "version_no": row.version_no, "status": row.status,
                                 "version": row.version}, now)
    db.session.commit()
    return row


def generate(meeting_id: int, data: dict, actor, now: datetime) -> Minutes:
    """Tạo biên bản: the first draft from the record; on a draft, again from the record, which
    replaces the edited text and so needs `confirm` and the version the secretary saw."""

    def apply(meeting):
        row = current(meeting)
        if row is not None:
            row = _draft(meeting)
            if not Fields(data).boolean("confirm"):
                raise ValidationFailed({"confirm": _("Generating again replaces the edited text: confirm it.")})
            _check_version(row, data.get("version"))
        body = draft_text(meeting)
        if row is None:
            number = (db.session.scalar(select(func.max(Minutes.version_no))
                                        .where(Minutes.meeting_id == meeting.id)) or 0) + 1
            row = Minutes(meeting_id=meeting.id, version_no=number, status="draft", current=True)
            db.session.add(row)
        row.body, row.generated_at, row.generated_by_id = body, now, actor.id
        row.edited_at = row.edited_by_id = None
        return row

    return _change(meeting_id, actor, now, "edit", _("Only the meeting's secretaries draw up the minutes."),
                   "generated", apply)


def edit(meeting_id: int, data: dict, actor, now: datetime) -> Minutes:
    def apply(meeting):
        row = _draft(meeting)
        fields = Fields(data)
        body = fields.string("body", required=True, max_length=MAX_BODY)
        fields.raise_if_errors()
        _check_version(row, data.get("version"))
        row.body, row.edited_at, row.edited_by_id = body.replace("\r\n", "\n"), now, actor.id
        return row

    return _change(meeting_id, actor, now, "edit", _("Only the meeting's secretaries edit the minutes."),
                   "edited", apply)


def approve(meeting_id: int, data: dict, actor, now: datetime) -> Minutes:
    """The chair approves exactly the text they read (its version); from then on it is frozen."""

    def apply(meeting):
        row = _draft(meeting)
        _check_version(row, data.get("version"))
        if not row.body.strip():
            raise ValidationFailed({"body": _("The minutes are empty.")})
        row.status, row.approved_at, row.approved_by_id = "approved", now, actor.id
        return row

    return _change(meeting_id, actor, now, "approve", _("Only the meeting's chair approves the minutes."),
                   "approved", apply)


def reopen(meeting_id: int, data: dict, actor, now: datetime) -> Minutes:
    """A new draft version with the approved text; the approved version stays, superseded."""

    def apply(meeting):
        row = current(meeting)
        if row is None or row.status != "approved":
            raise Conflict(_("Only approved minutes are reopened; a draft is edited as it is."))
        fields = Fields(data)
        reason = fields.string("reason", required=True, max_length=1000)
        fields.raise_if_errors()
        if data.get("version") is not None:
            _check_version(row, data.get("version"))
        row.status, row.current, row.superseded_at = "superseded", None, now
        db.session.flush()  # frees the meeting's one "current" slot before the new version takes it
        new = Minutes(meeting_id=meeting.id, version_no=row.version_no + 1, status="draft", current=True,
                      body=row.body, generated_at=row.generated_at, generated_by_id=row.generated_by_id,
                      reopened_at=now, reopened_by_id=actor.id, reopen_reason=reason)
        db.session.add(new)
        return new

    return _change(meeting_id, actor, now, "reopen",
                   _("Only the meeting's chair or secretaries reopen approved minutes."), "reopened", apply)
