"""Answering a request: a draft saved as often as wanted, then submitted; a change after submitting is
a new version (every submitted version is kept). After the deadline nothing is accepted (409 closed)."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.consultations import access
from meetings.consultations.models import AnswerVersion, Consultation, Recipient
from meetings.consultations.services import Closed, get, is_open
from meetings.errors import Forbidden, ValidationFailed
from meetings.extensions import db
from meetings.realtime import publish, user_room
from meetings.validation import Fields, json_id

MAX_TEXT = 10000


def target(consultation: Consultation, fields: Fields, actor) -> Recipient:
    """Whose answer this is: `for_user_id` / `unit_id` name it (a secretary preparing a leader's
    answer, someone asked both in person and through their unit); else the caller's own row."""
    for_user, unit_id = fields.id("for_user_id"), fields.id("unit_id")
    fields.raise_if_errors()
    if for_user is not None:
        found = next((r for r in consultation.recipients if r.user_id == for_user), None)
    elif unit_id is not None:
        found = next((r for r in consultation.recipients if r.unit_id == unit_id), None)
    else:
        mine = access.recipients_of(actor, consultation)
        found = next((r for r in mine if r.user_id == actor.id), None) or (mine[0] if mine else None)
    if found is None or not access.can_prepare(actor, found):
        raise Forbidden(_("You are not asked for an opinion in this request."))
    return found


def _read_answers(consultation: Consultation, raw, submit: bool, no_opinion: bool, fields: Fields) -> list[dict]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        fields.fail("answers", _("Expected a list of answers."))
        return []
    by_number = {q.position: q for q in consultation.questions}
    answers: dict[int, dict] = {}
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            fields.fail("answers", _("Expected an object."))
            continue
        number = json_id(item.get("question"))
        question = by_number.get(number)
        choice, text = item.get("choice"), item.get("text")
        if question is None:
            fields.fail("answers", _("No such question."))
            continue
        if choice is not None and (question.kind != "choice" or choice not in question.options):
            fields.fail("answers", _("Choose one of the question's options."))
            continue
        if text is not None and (not isinstance(text, str) or len(text) > MAX_TEXT or "\x00" in text):
            fields.fail("answers", _("At most %(n)d characters of text.", n=MAX_TEXT))
            continue
        answers[number] = {"question": number, "choice": choice, "text": (text or "").strip() or None}
    if submit and not no_opinion and not fields.errors:
        missing = [q.position for q in consultation.questions
                   if q.kind == "choice" and not (answers.get(q.position) or {}).get("choice")]
        if missing:
            fields.fail("answers", _("Choose an answer to question(s) %(numbers)s, or answer "
                                     "\"No opinion\".", numbers=", ".join(map(str, missing))))
        elif not answers or not any(a["choice"] or a["text"] for a in answers.values()):
            fields.fail("answers", _("Write an opinion, or answer \"No opinion\"."))
    return [answers[k] for k in sorted(answers)]


def answer(consultation_id: int, data: dict, actor, now: datetime) -> Recipient:
    """Save (and with `submit`, send) the caller's answer, or the one they prepare for a leader."""
    consultation = get(consultation_id, actor)
    fields = Fields(data)
    recipient = target(consultation, fields, actor)
    submit = fields.boolean("submit", default=False)
    no_opinion = fields.boolean("no_opinion", default=False)
    answers = _read_answers(consultation, data.get("answers"), submit, no_opinion, fields)
    if submit and not access.can_submit(actor, recipient):
        raise Forbidden(_("Only the person asked (for a unit, its head) submits the answer; "
                          "you may save it as a draft for them."))
    if not is_open(consultation, now):
        raise Closed(_("The deadline has passed: answers are no longer accepted. Ask the office "
                         "to extend it."))
    fields.raise_if_errors()
    db.session.refresh(consultation, with_for_update=True)  # one writer at a time: numbers stay unique
    version = recipient.draft
    if version is None:
        version = AnswerVersion(number=max((v.number for v in recipient.versions), default=0) + 1)
        recipient.versions.append(version)
    version.answers, version.no_opinion, version.updated_at = answers, no_opinion, now
    if version.prepared_by_id is None or not submit:
        version.prepared_by_id = actor.id
    if submit:
        version.submitted_at, version.submitted_by_id = now, actor.id
    db.session.flush()
    if submit:
        tell_managers(consultation)
    db.session.commit()
    return recipient


def tell_managers(consultation: Consultation) -> None:
    """The follow-up page's count, live: pushed to the managers' own rooms after the commit."""
    from meetings.directory.models import User
    from sqlalchemy import select

    answered = sum(1 for r in consultation.recipients if r.submitted is not None)
    payload = {"consultation_id": consultation.id, "answered": answered, "asked": len(consultation.recipients)}
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.role.in_(("admin", "secretary")))):
        publish("consultation_answers", payload, room=user_room(user_id))
