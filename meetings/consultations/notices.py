"""Telling those asked: the request sent, the deadline extended, and reminders (from the scheduler or by
hand), each reminder recorded as a row whose unique key makes it exactly-once."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.consultations.access import delegate_of, unit_head
from meetings.consultations.models import Consultation, Recipient, Reminder
from meetings.directory.models import User
from meetings.extensions import db
from meetings.notify.services import notify
from meetings.timeutil import format_datetime
from meetings.web import link_to


def people(recipient: Recipient) -> list[User]:
    """Who hears about a recipient's answer: the person, or the unit's head and the member the head
    named to answer for the unit."""
    found = [recipient.user] if recipient.user_id else [unit_head(recipient.unit_id), delegate_of(recipient)]
    return [p for p in found if p is not None and p.active]


def _send(consultation: Consultation, recipient: Recipient, title: str, now: datetime, key: str) -> int:
    url = link_to("consultations.page", consultation_id=consultation.id)
    text = "\n".join([title, link_to("consultations.page", external=True, consultation_id=consultation.id)])
    sent = 0
    for person in people(recipient):
        notify(person, "consultation", title, now, url=url, dedupe_key=f"{key}:u{person.id}", email_text=text)
        sent += 1
    return sent


def tell_sent(consultation: Consultation, now: datetime) -> None:
    title = _("Your opinion is requested by %(deadline)s: %(title)s",
              deadline=format_datetime(consultation.deadline), title=consultation.title[:200])
    for recipient in consultation.recipients:
        _send(consultation, recipient, title, now, f"consultation:{consultation.id}:sent:r{recipient.id}")


def tell_extended(consultation: Consultation, now: datetime) -> None:
    title = _("New deadline %(deadline)s for your opinion: %(title)s",
              deadline=format_datetime(consultation.deadline), title=consultation.title[:200])
    stamp = consultation.deadline.isoformat()
    for recipient in consultation.recipients:
        if recipient.submitted is None:
            _send(consultation, recipient, title, now, f"consultation:{consultation.id}:extended:{stamp}:r{recipient.id}")


def remind(consultation: Consultation, recipient: Recipient, occasion: str, now: datetime, by=None) -> bool:
    """One reminder to one recipient who has not answered, unless this one was already sent.

    The row goes in first, in its own savepoint: a second scheduler racing this one fails on the
    unique key there and sends nothing; otherwise the row and the notification commit together.
    """
    if recipient.submitted is not None:
        return False
    if db.session.scalar(select(Reminder.id).where(Reminder.recipient_id == recipient.id,
                                                   Reminder.occasion == occasion,
                                                   Reminder.deadline == consultation.deadline)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Reminder(recipient_id=recipient.id, occasion=occasion, deadline=consultation.deadline,
                                    sent_at=now, by_id=by.id if by else None))
    except Exception:  # IntegrityError: the other scheduler has it
        return False
    title = _("Reminder: your opinion is requested by %(deadline)s: %(title)s",
              deadline=format_datetime(consultation.deadline), title=consultation.title[:200])
    key = f"consultation:{consultation.id}:remind:{occasion}:{consultation.deadline.isoformat()}:r{recipient.id}"
    _send(consultation, recipient, title, now, key)
    return True


def tell_delegated(consultation: Consultation, recipient: Recipient, person: User | None, previous: User | None,
                   now: datetime) -> None:
    """The member named to answer for the unit is told (and, when the head changes or takes it back,
    the one relieved), with the consultations' own notification kind and preferences."""
    url = link_to("consultations.page", consultation_id=consultation.id)
    stamp = now.isoformat(timespec="seconds")
    if person is not None:
        title = _("%(unit)s: you answer for the unit by %(deadline)s: %(title)s", unit=recipient.unit.name,
                  deadline=format_datetime(consultation.deadline), title=consultation.title[:200])
        notify(person, "consultation", title, now, url=url, email_text="\n".join([title, link_to(
            "consultations.page", external=True, consultation_id=consultation.id)]),
            dedupe_key=f"consultation:{consultation.id}:delegate:r{recipient.id}:{stamp}:u{person.id}")
    if previous is not None and previous.active and (person is None or previous.id != person.id):
        title = _("%(unit)s: you no longer answer for the unit: %(title)s", unit=recipient.unit.name,
                  title=consultation.title[:200])
        notify(previous, "consultation", title, now, url=url,
               dedupe_key=f"consultation:{consultation.id}:undelegate:r{recipient.id}:{stamp}:u{previous.id}")
