"""Attendance before the meeting (xác nhận tham dự): a participant attends, declines with a reason,
or sends a delegate from their own unit (cử người dự thay); the secretary reminds those who have not
answered. The delegate becomes a participant who reads what the one they stand in for reads.
"""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.directory.models import User
from meetings.dossiers.access import can_manage_meeting, participation
from meetings.dossiers.models import RSVP, Meeting, MeetingParticipant
from meetings.dossiers.calendar_link import sync_calendar
from meetings.dossiers.services import (changed, drop_lost_rooms, drop_participant, get_meeting, lock_meeting,
                                        managed_meeting)
from meetings.errors import Forbidden, ValidationFailed
from meetings.extensions import db
from meetings.notify.services import notify
from meetings.timeutil import app_zone, format_datetime

# A second click on "remind" (or two secretaries at once) must not ring everyone twice.
REMIND_AGAIN_AFTER = timedelta(hours=1)
OPEN_STATUSES = ("draft", "published", "in_progress")
REASON_LENGTH = 500


def meeting_url(meeting: Meeting) -> str:
    from meetings.dossiers import bp

    return f"{bp.url_prefix}/{meeting.id}"  # no url_for: the scheduler and the CLI have no request


def can_delegate_to(principal: User, candidate: User | None) -> bool:
    """A delegate is an active colleague of the participant's own unit (never the participant)."""
    return (candidate is not None and candidate.active and principal.unit_id is not None
            and candidate.unit_id == principal.unit_id and candidate.id != principal.id)


def delegate_of(meeting: Meeting, user_id: int) -> MeetingParticipant | None:
    return next((p for p in meeting.participants if p.delegate_for_id == user_id), None)


def delegate_choices(meeting: Meeting, user) -> list[User]:
    """Whom `user` may send: their unit's active members, save those already standing in for someone else."""
    if user.unit_id is None:
        return []
    taken = {p.user_id for p in meeting.participants if p.delegate_for_id not in (None, user.id)}
    people = db.session.scalars(select(User).where(User.unit_id == user.unit_id, User.active.is_(True))
                                .order_by(User.rank, User.name))
    return [u for u in people if can_delegate_to(user, u) and u.id not in taken]


def _read(meeting: Meeting, part: MeetingParticipant, data: dict, actor) -> tuple[str, str | None, User | None]:
    errors = {}
    data = data if isinstance(data, dict) else {}
    response = data.get("response")
    reason = data.get("reason")
    reason = reason.strip() if isinstance(reason, str) else None
    if response not in RSVP:
        errors["response"] = _("Must be one of: %(choices)s.", choices=", ".join(RSVP))
    if reason and len(reason) > REASON_LENGTH:
        errors["reason"] = _("At most %(n)d characters.", n=REASON_LENGTH)
    if response == "declined" and not reason:
        errors["reason"] = _("Say why you cannot attend.")
    delegate = None
    if response == "delegated":
        raw = data.get("delegate_id")
        if isinstance(raw, str) and raw.isdigit():
            raw = int(raw)
        if part.by_delegation:
            errors["response"] = _("You attend in someone else's place: you cannot send another delegate.")
        elif not isinstance(raw, int) or isinstance(raw, bool):
            errors["delegate_id"] = _("Choose who attends in your place.")
        else:
            delegate = db.session.get(User, raw)
            other = delegate_of_anyone(meeting, raw)
            if not can_delegate_to(actor, delegate):
                errors["delegate_id"] = _("The delegate must be an active member of your unit.")
            elif other is not None and other.delegate_for_id != actor.id:
                errors["delegate_id"] = _("%(name)s already attends in place of %(other)s.", name=delegate.name,
                                          other=other.delegate_for.name if other.delegate_for else "—")
    if meeting.status not in OPEN_STATUSES:
        errors["response"] = _("The meeting has ended: answers are closed.")
    if errors:
        raise ValidationFailed(errors)
    return response, reason or None, delegate


def delegate_of_anyone(meeting: Meeting, user_id: int) -> MeetingParticipant | None:
    return next((p for p in meeting.participants if p.user_id == user_id and p.delegate_for_id is not None), None)


def answer(meeting_id: int, data: dict, actor, now: datetime) -> MeetingParticipant:
    """PUT /meetings/ID/rsvp: the caller's own answer; one transaction, announced after commit."""
    meeting = get_meeting(meeting_id, actor)
    if participation(actor, meeting) is None:
        raise Forbidden(_("Only the meeting's participants answer its invitation."))
    lock_meeting(meeting)
    part = participation(actor, meeting)
    response, reason, delegate = _read(meeting, part, data, actor)
    previous = delegate_of(meeting, actor.id)
    removed, added = [], []
    if previous is not None and (delegate is None or previous.user_id != delegate.id):
        removed = _withdraw(meeting, previous, actor, now)
    if delegate is not None and (previous is None or previous.user_id != delegate.id):
        added = [_appoint(meeting, part, delegate, now)]
    part.rsvp, part.rsvp_reason, part.rsvp_at = response, reason, now
    if part.attendance in ("invited", "accepted", "declined"):  # never overwrite the day's present/absent
        part.attendance = "accepted" if response == "accepted" else "declined"
    if removed or added:
        db.session.flush()
        sync_calendar(meeting, actor, now)
    # The same change types as the secretary's own edits, so every screen and hook that follows
    # participants (the live room drops a removed person's screens) treats a delegate alike.
    for gone in removed:
        changed(meeting, "participant_removed", {"user_id": gone}, now)
        drop_lost_rooms(meeting, gone, now)
    if added:
        changed(meeting, "participants_added", {"user_ids": added}, now)
    changed(meeting, "participant_rsvp", {"user_id": actor.id, "rsvp": response,
                                          "delegate_id": delegate.id if delegate else None}, now)
    db.session.commit()
    return part


def _appoint(meeting: Meeting, part: MeetingParticipant, delegate: User, now: datetime) -> int:
    row = next((p for p in meeting.participants if p.user_id == delegate.id), None)
    if row is None:
        row = MeetingParticipant(user_id=delegate.id, role="guest" if part.role == "guest" else "member",
                                 attendance="accepted", rsvp="accepted", rsvp_at=now, by_delegation=True)
        meeting.participants.append(row)
    row.delegate_for_id = part.user_id
    if meeting.status != "draft":  # a draft is the chair's and secretaries' only: nothing to open yet
        title = _("You attend in place of %(name)s: %(meeting)s, %(when)s", name=part.user.name,
                  meeting=meeting.event.title, when=_when(meeting))
        notify(delegate, "delegation", title, now, url=meeting_url(meeting))
    return delegate.id


def _withdraw(meeting: Meeting, row: MeetingParticipant, principal, now: datetime) -> list[int]:
    """The delegation ends: a delegate who came only for it leaves (and loses the documents with it)."""
    user = row.user
    if row.by_delegation:
        gone = drop_participant(meeting, row)
    else:
        row.delegate_for_id, gone = None, []
    if meeting.status != "draft":
        notify(user, "delegation", _("You no longer attend in place of %(name)s: %(meeting)s",
                                     name=principal.name, meeting=meeting.event.title), now, url=meeting_url(meeting))
    return gone


def _when(meeting: Meeting) -> str:
    return format_datetime(meeting.event.start_at, app_zone())


def not_answered(meeting: Meeting) -> list[MeetingParticipant]:
    """Who still owes an answer: invited in their own right, active, and silent so far."""
    return [p for p in meeting.participants if p.rsvp is None and not p.by_delegation and p.user.active]


def remind(meeting_id: int, actor, now: datetime) -> dict:
    """The secretary's reminder to everyone who has not answered (each at most once an hour)."""
    meeting = managed_meeting(meeting_id, actor)
    if meeting.status == "draft":
        raise ValidationFailed({"status": _("Publish the meeting first: participants cannot see a draft.")})
    if meeting.status not in OPEN_STATUSES:
        raise ValidationFailed({"status": _("The meeting has ended: answers are closed.")})
    reminded, skipped = [], 0
    title = _("Please confirm your attendance: %(meeting)s, %(when)s", meeting=meeting.event.title,
              when=_when(meeting))
    for part in not_answered(meeting):
        if part.user_id == actor.id:
            continue
        if part.rsvp_reminded_at is not None and part.rsvp_reminded_at > now - REMIND_AGAIN_AFTER:
            skipped += 1
            continue
        part.rsvp_reminded_at = now
        notify(part.user, "rsvp_reminder", title, now, url=meeting_url(meeting))
        reminded.append(part.user_id)
    db.session.commit()
    return {"reminded": reminded, "skipped": skipped}


def counts(meeting: Meeting) -> dict:
    """The secretary's tally: answers by kind and how many are still silent."""
    own = [p for p in meeting.participants if not p.by_delegation]
    tally = {kind: sum(1 for p in own if p.rsvp == kind) for kind in RSVP}
    tally["not_answered"] = len(not_answered(meeting))
    return tally


def page_context(meeting, user) -> dict:
    """What the meeting page needs to show the caller's own answer and, to managers, everyone's."""
    mine = participation(user, meeting)
    context = {"my_part": mine, "delegate_choices": delegate_choices(meeting, user) if mine else [],
               "my_delegate": delegate_of(meeting, user.id) if mine else None}
    if can_manage_meeting(user, meeting):
        context.update(rsvp_counts=counts(meeting), not_answered=not_answered(meeting))
    return context
