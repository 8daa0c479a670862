"""A request for opinions through its life: draft -> sent -> closed. Plain functions of (ids, values,
the acting user, now); the web, the API, the scheduler and the tests call the same ones."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar.conflicts import lock_calendar
from meetings.calendar.input import parse_moment
from meetings.consultations import access, carrier, periodic
from meetings.consultations.models import QUESTION_KINDS, Consultation, Extension, Question, Recipient
from meetings.directory.models import Unit, User
from meetings.errors import Conflict, Forbidden, NotFound, ValidationFailed
from meetings.extensions import db
from meetings.timeutil import app_zone
from meetings.validation import Fields

MAX_QUESTIONS, MAX_OPTIONS = 50, 20


def get(consultation_id: int, user) -> Consultation:
    """The request if the user may see it; NotFound otherwise (the two look alike from outside)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not access.can_see(user, consultation):
        raise NotFound(_("No such request for opinions."))
    return consultation


def managed(consultation_id: int, user, lock: bool = True) -> Consultation:
    consultation = get(consultation_id, user)
    if not access.can_manage(user, consultation):
        raise Forbidden(_("Only the office's secretaries manage a request for opinions."))
    if lock:
        lock_calendar((), (), ())  # SQLite: take the write lock before reading what the change depends on
        db.session.refresh(consultation, with_for_update=True)
    return consultation


def visible(user) -> list[Consultation]:
    """Requests the user manages or is asked in, the newest first."""
    query = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    if not access.can_create(user):
        mine = select(Recipient.consultation_id).where(Recipient.user_id == user.id)
        if user.unit_id:
            mine = mine.union(select(Recipient.consultation_id).where(Recipient.unit_id == user.unit_id))
        query = query.where(Consultation.id.in_(mine), Consultation.status != "draft")
    return list(db.session.scalars(query.limit(500)))


def read_deadline(fields: Fields, now: datetime, name: str = "deadline") -> datetime | None:
    """A date and time in the office's zone (an offset, when given, is honoured), still to come."""
    raw = fields.data.get(name)
    if raw in (None, ""):
        fields.fail(name, _("This field is required."))
        return None
    moment = parse_moment(raw, app_zone())
    if not isinstance(moment, datetime):
        fields.fail(name, _("Write a date and time, e.g. 2026-12-15T17:00."))
        return None
    if moment <= now:
        fields.fail(name, _("The deadline must be in the future."))
        return None
    return moment


def _questions(fields: Fields) -> list[Question]:
    raw = fields.data.get("questions")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_QUESTIONS:
        fields.fail("questions", _("Ask between 1 and %(n)d questions.", n=MAX_QUESTIONS))
        return []
    questions = []
    for n, item in enumerate(raw, start=1):
        one = Fields(item if isinstance(item, dict) else None)
        one.strict = fields.strict
        kind = one.choice("kind", QUESTION_KINDS, required=True)
        text = one.string("text", required=True, max_length=2000)
        options = item.get("options") if isinstance(item, dict) else None
        if kind == "choice":
            clean = [o.strip() for o in options if isinstance(o, str) and o.strip() and "\x00" not in o] \
                if isinstance(options, list) else []
            if len(clean) < 2 or len(clean) > MAX_OPTIONS or len(clean) != len(options) or \
                    any(len(o) > 200 for o in clean) or len(set(clean)) != len(clean):
                one.fail("options", _("A choice needs 2 to %(n)d different options.", n=MAX_OPTIONS))
            options = clean
        else:
            options = []
        if one.errors:  # one key for the list, each question's problems numbered in the message
            said, label = fields.errors.get("questions", ""), _("Question %(n)d", n=n)
            fields.fail("questions", f"{said} {label}: {' '.join(one.errors.values())}".strip())
            continue
        questions.append(Question(position=n, kind=kind, text=text, options=options))
    return questions


def _recipients(fields: Fields) -> list[Recipient]:
    user_ids, unit_ids = fields.id_list("user_ids"), fields.id_list("unit_ids")
    if user_ids and len(set(db.session.scalars(select(User.id).where(
            User.id.in_(user_ids), User.active.is_(True))))) != len(user_ids):
        fields.fail("user_ids", _("Choose active people from the directory."))
    if unit_ids and len(set(db.session.scalars(select(Unit.id).where(Unit.id.in_(unit_ids))))) != len(unit_ids):
        fields.fail("unit_ids", _("Choose units from the directory."))
    if not user_ids and not unit_ids and "user_ids" not in fields.errors and "unit_ids" not in fields.errors:
        fields.fail("user_ids", _("Ask at least one person or unit."))
    return [Recipient(user_id=i) for i in user_ids] + [Recipient(unit_id=i) for i in unit_ids]


def _links(fields: Fields, actor) -> tuple[int | None, int | None]:
    from meetings.dossiers.access import can_see_meeting
    from meetings.dossiers.models import Meeting
    from meetings.tasks.models import Task

    meeting_id, task_id = fields.id("meeting_id"), fields.id("task_id")
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or not can_see_meeting(actor, meeting):
            fields.fail("meeting_id", _("No such meeting."))
    if task_id is not None and db.session.get(Task, task_id) is None:
        fields.fail("task_id", _("No such task."))
    return meeting_id, task_id


def create(data: dict, actor, now: datetime) -> Consultation:
    """A draft request: nobody is told until it is sent."""
    if not access.can_create(actor):
        raise Forbidden(_("Only the office's secretaries set up requests for opinions."))
    fields = Fields(data)
    title = fields.string("title", required=True, max_length=500)
    questions = _questions(fields)
    deadline = read_deadline(fields, now)
    recipients = _recipients(fields)
    meeting_id, task_id = _links(fields, actor)
    recurrence, lead_days = periodic.read_recurrence(fields)
    fields.raise_if_errors()
    consultation = Consultation(title=title, status="draft", deadline=deadline, meeting_id=meeting_id,
                                task_id=task_id, created_by_id=actor.id, created_at=now, version=1,
                                recurrence=recurrence, lead_days=lead_days,
                                carrier_id=carrier.new_carrier(title, actor, now).id)
    consultation.questions = questions
    consultation.recipients = recipients
    db.session.add(consultation)
    db.session.commit()
    return consultation


def send(consultation_id: int, actor, now: datetime) -> Consultation:
    from meetings.consultations import notices

    consultation = managed(consultation_id, actor)
    if consultation.status != "draft":
        raise AlreadySent(_("This request has already been sent."))
    if consultation.deadline <= now:
        raise ValidationFailed({"deadline": _("The deadline has passed: set a new one before sending.")})
    consultation.sent_at = now
    consultation.version += 1
    if consultation.recurrence:  # a periodic report: its rounds are what people answer and are told of
        consultation.status = "recurring"
        periodic.open_due(consultation, now)
    else:
        consultation.status = "sent"
        notices.tell_sent(consultation, now)
    db.session.commit()
    return consultation


def extend(consultation_id: int, data: dict, actor, now: datetime) -> Consultation:
    """A later deadline, recorded with the old one; late answers are accepted again until it."""
    consultation = managed(consultation_id, actor)
    if consultation.status == "closed":
        raise Closed(_("This request is closed: its summary is final."))
    if consultation.status == "recurring":
        raise NotSent(_("A periodic report's deadlines follow its rule: extend one round instead."))
    fields = Fields(data)
    deadline = read_deadline(fields, now)
    if deadline is not None and deadline <= consultation.deadline:
        fields.fail("deadline", _("An extension must be later than the current deadline."))
    fields.raise_if_errors()
    consultation.extensions.append(Extension(old_deadline=consultation.deadline, new_deadline=deadline,
                                             by_id=actor.id, at=now))
    consultation.deadline = deadline
    consultation.version += 1
    if consultation.status == "sent":
        from meetings.consultations import notices

        notices.tell_extended(consultation, now)
    db.session.commit()
    return consultation


def close(consultation_id: int, actor, now: datetime) -> Consultation:
    """Closed and frozen: the summary as it is now is rendered (signed when the office has a
    certificate) and kept; it is served as it is from then on."""
    from meetings.consultations import summary

    consultation = managed(consultation_id, actor)
    if consultation.status != "sent":
        raise NotSent(_("Only a sent request can be closed."))
    consultation.status, consultation.closed_at = "closed", now
    consultation.version += 1
    summary.freeze(consultation, now)
    db.session.commit()
    return consultation


def is_open(consultation: Consultation, now: datetime) -> bool:
    return consultation.status == "sent" and now < consultation.deadline


def pending(consultation: Consultation) -> list[Recipient]:
    """Who has not answered: no submitted version. "Không có ý kiến" is an answer."""
    return [r for r in consultation.recipients if r.submitted is None]


class Closed(Conflict):
    """Past the deadline, or the request closed: the API's 409 `closed`."""
    code = "closed"


class NotSent(Conflict):
    code = "not_sent"


class AlreadySent(Conflict):
    code = "already_sent"
