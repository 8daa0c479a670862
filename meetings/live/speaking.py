"""Speaking requests (đăng ký phát biểu): request, withdraw, reorder and grant by the chair, finish.

Each change pushes the whole queue (a handful of rows), so a screen replaces rather than patches it.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.directory.models import User
from meetings.dossiers.models import Meeting
from meetings.dossiers.services import changed, check_version
from meetings.errors import Conflict, Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.live import access
from meetings.live.models import SpeakingRequest
from meetings.live.services import locked


def queue(meeting_id: int) -> list[SpeakingRequest]:
    """Who speaks now, then who waits, in order."""
    rows = db.session.scalars(select(SpeakingRequest).where(
        SpeakingRequest.meeting_id == meeting_id, SpeakingRequest.status.in_(("speaking", "waiting"))))
    return sorted(rows, key=lambda r: (r.status != "speaking", r.position, r.id))


def queue_json(meeting_id: int) -> list[dict]:
    result = []
    for row in queue(meeting_id):
        user = db.session.get(User, row.user_id)
        result.append({"id": row.id, "user_id": row.user_id, "name": user.name if user else "", "status": row.status,
                       "requested_at": row.requested_at.isoformat(),
                       "started_at": row.started_at.isoformat() if row.started_at else None})
    return result


def _changed(meeting: Meeting, action: str, request_id: int, now: datetime) -> None:
    changed(meeting, "speaking", {"action": action, "request_id": request_id, "queue": queue_json(meeting.id)}, now)
    db.session.commit()


def _request(meeting: Meeting, request_id: int) -> SpeakingRequest:
    row = db.session.get(SpeakingRequest, request_id)
    if row is None or row.meeting_id != meeting.id or row.status in ("done", "withdrawn"):
        raise NotFound(_("No such speaking request."))
    return row


def ask(meeting_id: int, actor, now: datetime) -> SpeakingRequest:
    meeting = locked(meeting_id, actor, access.can_speak, _("Only participants ask to speak."))
    if any(r.user_id == actor.id for r in queue(meeting.id)):
        raise Conflict(_("You have already asked to speak."))
    row = SpeakingRequest(meeting_id=meeting.id, user_id=actor.id, status="waiting", requested_at=now,
                          position=max((r.position for r in queue(meeting.id)), default=-1) + 1)
    db.session.add(row)
    db.session.flush()
    _changed(meeting, "requested", row.id, now)
    return row


def withdraw(meeting_id: int, request_id: int, actor, now: datetime) -> None:
    meeting = locked(meeting_id, actor, access.can_speak, _("Only participants ask to speak."))
    row = _request(meeting, request_id)
    if row.user_id != actor.id and not access.can_run_meeting(actor, meeting):
        raise Forbidden(_("Only the person who asked, or the chair, withdraws a request."))
    row.status = "withdrawn"
    _changed(meeting, "withdrawn", row.id, now)


def reorder(meeting_id: int, data: dict, actor, now: datetime) -> None:
    """The chair's order of the waiting requests; a stale order is refused with the fresh state."""
    meeting = locked(meeting_id, actor, access.can_run_meeting, _("Only the chair orders the speakers."))
    check_version(meeting, data.get("version"), actor)
    waiting = {r.id: r for r in queue(meeting.id) if r.status == "waiting"}
    ids = data.get("request_ids")
    if not isinstance(ids, list) or sorted(ids, key=str) != sorted(waiting, key=str):
        raise ValidationFailed({"request_ids": _("List every waiting request exactly once.")})
    for position, request_id in enumerate(ids):
        waiting[request_id].position = position
    _changed(meeting, "reordered", 0, now)


def grant(meeting_id: int, request_id: int, actor, now: datetime) -> None:
    """Đang phát biểu: the floor goes to this request; whoever spoke before is done."""
    meeting = locked(meeting_id, actor, access.can_run_meeting, _("Only the chair gives the floor."))
    row = _request(meeting, request_id)
    for other in queue(meeting.id):
        if other.status == "speaking" and other is not row:
            other.status = "done"
    row.status, row.started_at = "speaking", now
    _changed(meeting, "granted", row.id, now)


def finish(meeting_id: int, request_id: int, actor, now: datetime) -> None:
    meeting = locked(meeting_id, actor, access.can_speak, _("Only participants ask to speak."))
    row = _request(meeting, request_id)
    if row.user_id != actor.id and not access.can_run_meeting(actor, meeting):
        raise Forbidden(_("Only the speaker, or the chair, ends a turn."))
    row.status = "done"
    _changed(meeting, "finished", row.id, now)
