"""Answering a request: a draft saved as often as wanted, then submitted; a change after submitting is
a new version (every submitted version is kept). After the deadline nothing is accepted (409 closed)."""
from datetime import datetime

from flask_babel import gettext as _

from meetings.consultations import access
from meetings.consultations.models import AnswerVersion, Consultation, Recipient
from meetings.consultations.services import Closed, get, is_open
from meetings.errors import Forbidden, NotFound, ValidationFailed
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


def _refuse_late(consultation: Consultation, now: datetime) -> None:
    if not is_open(consultation, now):
        raise Closed(_("The deadline has passed: answers are no longer accepted. Ask the office "
                       "to extend it."))


def _draft_of(consultation: Consultation, recipient: Recipient, now: datetime) -> AnswerVersion:
    """The recipient's draft, or a new version that starts from the last one sent (its file included)."""
    db.session.refresh(consultation, with_for_update=True)  # one writer at a time: numbers stay unique
    version = recipient.draft
    if version is None:
        last = recipient.submitted
        version = AnswerVersion(number=max((v.number for v in recipient.versions), default=0) + 1,
                                answers=list(last.answers) if last else [], no_opinion=bool(last and last.no_opinion),
                                attachment_name=last.attachment_name if last else None,
                                attachment=last.attachment if last else None, updated_at=now)
        recipient.versions.append(version)
    return version


def answer(consultation_id: int, data: dict, actor, now: datetime, upload: tuple[bytes, str] | None = None) -> Recipient:
    """Save (and with `submit`, send) the caller's answer, or the one they prepare for a leader;
    `upload` (bytes, file name) attaches a file, checked as the meetings' documents are."""
    consultation = get(consultation_id, actor)
    fields = Fields(data)
    recipient = target(consultation, fields, actor)
    submit = fields.boolean("submit", default=False)
    no_opinion = fields.boolean("no_opinion", default=False)
    answers = _read_answers(consultation, data.get("answers"), submit, no_opinion, fields)
    if submit and not access.can_submit(actor, recipient):
        raise Forbidden(_("Only the person asked (for a unit, its head) submits the answer; "
                          "you may save it as a draft for them."))
    _refuse_late(consultation, now)
    fields.raise_if_errors()
    accepted = _accepted_file(upload)
    version = _draft_of(consultation, recipient, now)
    version.answers, version.no_opinion, version.updated_at = answers, no_opinion, now
    if accepted is not None:
        version.attachment_name, version.attachment = accepted
    if version.prepared_by_id is None or not submit:
        version.prepared_by_id = actor.id
    if submit:
        version.submitted_at, version.submitted_by_id = now, actor.id
    db.session.flush()
    if submit:
        tell_managers(consultation)
    db.session.commit()
    return recipient


def _accepted_file(upload: tuple[bytes | None, str] | None) -> tuple[str, bytes] | None:
    """(file name, sanitised PDF): the meetings' own upload checks, before any row is touched."""
    if upload is None:
        return None
    from meetings.dossiers.documents import accept_upload, received
    from meetings.downloads import clean_filename

    data, filename = upload
    # An answer's file is small and checked in the request, so the answer is whole when it is saved.
    accepted = accept_upload(data, received(data, filename))
    name = clean_filename(filename, "y-kien.pdf")
    return (name.rsplit(".", 1)[0] if "." in name else name) + ".pdf", accepted.pdf


def attach(consultation_id: int, data: dict, upload: tuple[bytes | None, str], actor, now: datetime) -> Recipient:
    """A file for the caller's draft answer (or the one they prepare): a draft is made when none is open."""
    consultation = get(consultation_id, actor)
    fields = Fields(data)
    recipient = target(consultation, fields, actor)
    _refuse_late(consultation, now)
    accepted = _accepted_file(upload)
    version = _draft_of(consultation, recipient, now)
    version.attachment_name, version.attachment = accepted
    version.updated_at = now
    if version.prepared_by_id is None:
        version.prepared_by_id = actor.id
    db.session.commit()
    return recipient


def attachment(consultation_id: int, recipient_id: int, number: int | None, user) -> tuple[str, bytes]:
    """An answer's file, for whoever may see that answer: the last sent version's unless `number`
    names another; a draft's only for whoever prepares it."""
    consultation = get(consultation_id, user)
    recipient = next((r for r in consultation.recipients if r.id == recipient_id), None)
    if recipient is None or not access.can_see_answer(user, recipient):
        raise NotFound(_("No such answer."))
    drafts = access.can_prepare(user, recipient)
    if number is not None:
        version = next((v for v in recipient.versions if v.number == number
                        and (v.submitted_at is not None or drafts)), None)
    else:
        version = recipient.submitted or (recipient.draft if drafts else None)
    if version is None or version.attachment is None:
        raise NotFound(_("This answer has no file."))
    return version.attachment_name, version.attachment


def tell_managers(consultation: Consultation) -> None:
    """The follow-up page's count, live: pushed to the managers' own rooms after the commit."""
    from meetings.directory.models import User
    from sqlalchemy import select

    answered = sum(1 for r in consultation.recipients if r.submitted is not None)
    payload = {"consultation_id": consultation.id, "answered": answered, "asked": len(consultation.recipients)}
    for user_id in db.session.scalars(select(User.id).where(User.active.is_(True),
                                                            User.role.in_(("admin", "secretary")))):
        publish("consultation_answers", payload, room=user_room(user_id))
