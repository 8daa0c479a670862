"""The live room's rules: catching up, the current item, check-in, notices, the presenter's page.

Every change locks the meeting, changes rows, and calls dossiers.services.changed() — the one path that
raises the version, logs the change and pushes `meeting_update` after the commit.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.dossiers.access import can_see_document
from meetings.dossiers.models import Meeting, MeetingChange
from meetings.dossiers.present import meeting_json
from meetings.dossiers.services import changed, check_version, get_meeting, lock_meeting
from meetings.dossiers.services import runners_room  # noqa: F401 (events and votes take it from here)
from meetings.errors import Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.live import access
from meetings.live.models import CHECK_INS, CheckIn, ItemTiming, Notice, PresenterPage
from meetings.validation import Fields

MIN_ZOOM, MAX_ZOOM = 1, 6  # the reader's zoom steps (static/js/reader/view.js ZOOMS; 6x drawn by pdf.js)


def locked(meeting_id: int, user, rule, message: str) -> Meeting:
    """The meeting, visible to `user` and allowed by `rule`, locked for one change."""
    meeting = get_meeting(meeting_id, user)
    if not rule(user, meeting):
        raise Forbidden(message)
    lock_meeting(meeting)
    return meeting


def catch_up(meeting: Meeting, user, since_version) -> dict:
    """The join acknowledgement: the changes after `since_version` when the log still holds all of
    them, else the full state. Both stop at the version read, so nothing is told twice."""
    version = meeting.version
    if isinstance(since_version, int) and not isinstance(since_version, bool) and 0 <= since_version <= version:
        rows = list(db.session.scalars(select(MeetingChange).where(
            MeetingChange.meeting_id == meeting.id, MeetingChange.version > since_version,
            MeetingChange.version <= version).order_by(MeetingChange.version)))
        if len(rows) == version - since_version:  # contiguous: none fell off the bounded log
            return {"version": version, "changes": [
                {"meeting_id": meeting.id, "version": c.version, "type": c.type, "data": c.data} for c in rows]}
    state = meeting_json(meeting, user)
    return {"version": state["version"], "state": state}


def set_current(meeting_id: int, data: dict, actor, now: datetime) -> dict:
    """Nội dung đang thảo luận: the chosen item becomes current with its start time; the previous one is
    done. Returns the change as every screen receives it."""
    meeting = locked(meeting_id, actor, access.can_run_meeting,
                     _("Only the chair and the secretaries move the agenda."))
    check_version(meeting, data.get("version"), actor)
    fields = Fields(data)
    item_id = fields.integer("item_id")
    fields.raise_if_errors()
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item_id is not None and item is None:
        raise ValidationFailed({"item_id": _("No such agenda item in this meeting.")})
    previous = next((i for i in meeting.agenda if i.id == meeting.current_item_id), None)
    # Both timings in one read, and every write flushed together at the commit: fewer round trips
    # while the meeting is locked (a room at 50 changes a second waits on this lock).
    timings = {t.agenda_item_id: t for t in db.session.scalars(select(ItemTiming).where(
        ItemTiming.agenda_item_id.in_([i.id for i in (previous, item) if i is not None])))}
    if previous is not None and previous is not item:
        previous.status = "done"
        if previous.id in timings:
            timings[previous.id].ended_at = now
    started = None
    if item is not None:
        item.status, started = "current", now
        timing = timings.get(item.id) or ItemTiming(agenda_item_id=item.id, meeting_id=meeting.id)
        timing.started_at, timing.ended_at = now, None
        db.session.add(timing)
    meeting.current_item_id = item.id if item else None
    message = changed(meeting, "current_item", {
        "item_id": meeting.current_item_id, "previous_item_id": previous.id if previous else None,
        "started_at": started.isoformat() if started else None,
        "duration_minutes": item.duration_minutes if item else None}, now)
    db.session.commit()
    return message


def check_in(meeting_id: int, user_id: int, data: dict, actor, now: datetime) -> CheckIn:
    """Điểm danh: in person, online, absent with a reason, or back to not yet."""
    meeting = get_meeting(meeting_id, actor)
    if not access.can_check_in(actor, meeting, user_id):
        raise Forbidden(_("Participants check themselves in; the secretaries check anyone in."))
    if not any(p.user_id == user_id for p in meeting.participants):
        raise NotFound(_("This person does not take part in the meeting."))
    fields = Fields(data)
    status = fields.choice("status", CHECK_INS, required=True)
    reason = fields.string("reason", max_length=300) or None
    if status == "absent" and not reason:
        fields.fail("reason", _("Give the reason for the absence."))
    fields.raise_if_errors()
    lock_meeting(meeting)
    row = db.session.scalar(select(CheckIn).where(CheckIn.meeting_id == meeting.id, CheckIn.user_id == user_id))
    if row is None:
        row = CheckIn(meeting_id=meeting.id, user_id=user_id)
        db.session.add(row)
    row.status, row.reason, row.at = status, reason if status == "absent" else None, now
    changed(meeting, "check_in", {"user_id": user_id, "status": status, "reason": row.reason,
                                  "at": now.isoformat()}, now)
    db.session.commit()
    return row


def post_notice(meeting_id: int, data: dict, actor, now: datetime) -> Notice:
    meeting = locked(meeting_id, actor, access.can_post_notice, _("Only the meeting's secretaries post notices."))
    fields = Fields(data)
    text = fields.string("text", required=True, max_length=500)
    fields.raise_if_errors()
    notice = Notice(meeting_id=meeting.id, text=text, author_id=actor.id, at=now)
    db.session.add(notice)
    db.session.flush()
    changed(meeting, "notice", {"id": notice.id, "text": text, "author": actor.name, "at": now.isoformat()}, now)
    db.session.commit()
    return notice


def turn_page(meeting_id: int, data: dict, actor, now: datetime) -> PresenterPage:
    """The presenter shows a page (theo dõi người trình bày): followers' readers turn with it."""
    meeting = locked(meeting_id, actor, access.can_present, _("Only the presenter turns the shared page."))
    fields = Fields(data)
    document_id = fields.integer("document_id", required=True)
    page = fields.integer("page", required=True, minimum=1)
    zoom = data.get("zoom", 1) if isinstance(data, dict) else 1
    if zoom is None:
        zoom = 1
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        fields.fail("zoom", _("Zoom is a number from %(low)s to %(high)s.", low=MIN_ZOOM, high=MAX_ZOOM))
    fields.raise_if_errors()
    document = next((d for d in meeting.documents if d.id == document_id), None)
    if document is None or not document.readable or not can_see_document(actor, document):
        # One answer for all (a document the worker has not finished is nobody's to present): a presenter who may not read a document learns nothing of it, not
        # even its page count from a page number refused as too high.
        raise NotFound(_("No such document."))
    if page > max(document.pages, 1):
        raise ValidationFailed({"page": _("No such page in this meeting's documents.")})
    row = db.session.get(PresenterPage, meeting.id) or PresenterPage(meeting_id=meeting.id)
    row.presenter_id, row.document_id, row.page, row.zoom, row.at = actor.id, document_id, page, float(zoom), now
    db.session.add(row)
    changed(meeting, "presenter_page", {"presenter_id": actor.id, "document_id": document_id, "page": page,
                                        "zoom": row.zoom}, now)
    db.session.commit()
    return row
