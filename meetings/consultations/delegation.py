"""A unit asked for its opinion: its head answers, or names a member of the unit who answers for it
(submits in the head's place) and may take that back. The rule is here; access.can_submit honours it."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar.conflicts import lock_calendar
from meetings.consultations import access
from meetings.consultations.models import Consultation, Recipient
from meetings.consultations.services import Closed, NotSent, get, is_open
from meetings.directory.models import User
from meetings.errors import Forbidden
from meetings.extensions import db
from meetings.validation import Fields


def members(recipient: Recipient) -> list[User]:
    """Whom the head may name: the unit's other active members, in the directory's order."""
    head = access.unit_head(recipient.unit_id)
    return list(db.session.scalars(select(User).where(
        User.unit_id == recipient.unit_id, User.active.is_(True), User.id != (head.id if head else None))
        .order_by(User.rank, User.name, User.id)))


def name_delegate(consultation_id: int, data: dict, actor, now: datetime) -> Recipient:
    """`unit_id` names the unit asked; `user_id` the member who answers for it, or null to take it back.
    Who named them and when is recorded; the member named (and the one relieved) is told."""
    from meetings.consultations import notices

    consultation = get(consultation_id, actor)  # 404 for anyone who may not know the request
    headed = [r for r in consultation.recipients if access.can_name_delegate(actor, r)]
    if not headed:
        raise Forbidden(_("Only the head of a unit asked names who answers for it."))
    fields = Fields(data)
    unit_id = fields.id("unit_id", required=True)
    user_id = fields.id("user_id")
    if "user_id" not in fields.data:
        fields.fail("user_id", _("Choose a member of the unit, or null to answer yourself."))
    fields.raise_if_errors()
    recipient = next((r for r in headed if r.unit_id == unit_id), None)
    if recipient is None:
        if any(r.unit_id == unit_id for r in consultation.recipients):
            raise Forbidden(_("Only the head of a unit asked names who answers for it."))
        fields.fail("unit_id", _("This unit is not asked in this request."))
        fields.raise_if_errors()
    _refuse_unless_open(consultation, now)
    person = None
    if user_id is not None:
        person = db.session.get(User, user_id)
        if person is None or person.id == actor.id or person not in members(recipient):
            fields.fail("user_id", _("Choose an active member of the unit other than yourself."))
            fields.raise_if_errors()
    lock_calendar((), (), ())  # SQLite: take the write lock before the change, as services.managed does
    db.session.refresh(recipient, with_for_update=True)
    previous = recipient.delegate if recipient.delegate_id else None
    if (previous.id if previous else None) == user_id:
        return recipient  # nothing changes: nobody is told twice
    recipient.delegate_id = user_id
    recipient.delegated_by_id, recipient.delegated_at = actor.id, now
    notices.tell_delegated(consultation, recipient, person, previous, now)
    db.session.commit()
    return recipient


def _refuse_unless_open(consultation: Consultation, now: datetime) -> None:
    if consultation.status in ("draft", "recurring"):
        raise NotSent(_("Only a request that has been sent is answered."))
    if not is_open(consultation, now):
        raise Closed(_("The deadline has passed: answers are no longer accepted. Ask the office "
                       "to extend it."))
