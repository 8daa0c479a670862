"""Who may see, manage and answer a request for opinions: one function per question, asked from every
door (API, pages, summary files, socket room, the carrier meeting's documents).

Those asked see a request once it is sent; the office's secretaries and admins manage it; a unit's
members see their unit's answer; nobody else learns that it exists.
"""
from sqlalchemy import select

from meetings.consultations.models import Consultation, Recipient
from meetings.directory.models import User
from meetings.extensions import db


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def can_create(user) -> bool:
    return _signed_in(user) and user.role in ("admin", "secretary")


def can_manage(user, consultation: Consultation) -> bool:
    return can_create(user)


def unit_head(unit_id: int) -> User | None:
    """The unit's head: its active member of the highest rank (lowest number), as the directory
    orders leaders. The head answers for the unit, or lets a member prepare the answer."""
    return db.session.scalar(select(User).where(User.unit_id == unit_id, User.active.is_(True))
                             .order_by(User.rank, User.name, User.id).limit(1))


def recipients_of(user, consultation: Consultation) -> list[Recipient]:
    """The user's own rows: asked in person, or a member of a unit that is asked."""
    if not _signed_in(user) or consultation.status == "draft":
        return []
    return [r for r in consultation.recipients
            if r.user_id == user.id or (r.unit_id is not None and r.unit_id == user.unit_id)]


def can_see(user, consultation: Consultation) -> bool:
    return can_manage(user, consultation) or bool(recipients_of(user, consultation))


def delegate_of(recipient: Recipient) -> User | None:
    """The member the unit's head named to answer for the unit, while still an active member of it
    (someone who has left the unit or been deactivated no longer answers for it)."""
    person = recipient.delegate if recipient.unit_id is not None and recipient.delegate_id else None
    return person if person is not None and person.active and person.unit_id == recipient.unit_id else None


def can_name_delegate(user, recipient: Recipient) -> bool:
    """Only the head of a unit asked names (or takes back) who answers for it."""
    if not _signed_in(user) or recipient.unit_id is None:
        return False
    head = unit_head(recipient.unit_id)
    return head is not None and head.id == user.id


def can_submit(user, recipient: Recipient) -> bool:
    """The person asked; for a unit its head, or the member the head named. The head keeps the right
    to submit: the unit's answer remains the head's responsibility."""
    if not _signed_in(user):
        return False
    if recipient.user_id is not None:
        return recipient.user_id == user.id
    delegate = delegate_of(recipient)
    return (delegate is not None and delegate.id == user.id) or can_name_delegate(user, recipient)


def can_prepare(user, recipient: Recipient) -> bool:
    """A draft answer: whoever submits it, a member of the unit asked, or the office's secretaries for
    a leader (the leader then reads and submits it)."""
    if can_submit(user, recipient):
        return True
    if recipient.unit_id is not None and _signed_in(user) and user.unit_id == recipient.unit_id:
        return True
    return can_manage(user, recipient.consultation)


def can_see_answer(user, recipient: Recipient) -> bool:
    return can_manage(user, recipient.consultation) or recipient in recipients_of(user, recipient.consultation)


def reads_carrier(user, meeting) -> bool:
    """The carrier meeting's documents are readable by whoever the request is sent to (called from
    meetings.dossiers.access, so the reader, stamps and annotations need no second rule)."""
    if not _signed_in(user):
        return False
    consultation = db.session.scalar(select(Consultation).where(Consultation.carrier_id == meeting.id))
    return consultation is not None and bool(recipients_of(user, consultation))
