"""Conclusions (kết luận) of a meeting, per agenda item when there is one."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from meetings.calendar.models import Event
from meetings.dossiers.models import AgendaItem
from meetings.errors import Forbidden, NotFound
from meetings.extensions import db
from meetings.tasks.access import conclusion_rights
from meetings.tasks.models import Conclusion
from meetings.validation import Fields


def get_meeting(meeting_id: int, user) -> Event:
    """The calendar entry if `user` may read its conclusions; NotFound otherwise."""
    meeting = db.session.get(Event, meeting_id)
    if meeting is None or not conclusion_rights(user, meeting).see:
        raise NotFound(_("No such meeting."))
    return meeting


def conclusions_of(meeting: Event) -> list[Conclusion]:
    return list(db.session.scalars(select(Conclusion).where(Conclusion.meeting_id == meeting.id)
                                   .order_by(Conclusion.agenda_item_id.is_(None), Conclusion.agenda_item_id,
                                             Conclusion.id)))


def get_conclusion(conclusion_id: int, user) -> Conclusion:
    conclusion = db.session.get(Conclusion, conclusion_id)
    if conclusion is None or not conclusion_rights(user, conclusion.meeting).see:
        raise NotFound(_("No such conclusion."))
    return conclusion


def record_conclusion(meeting_id: int, data: dict, actor, now: datetime) -> Conclusion:
    meeting = get_meeting(meeting_id, actor)
    if not conclusion_rights(actor, meeting).manage:
        raise Forbidden(_("Only the office's secretaries record conclusions."))
    fields = Fields(data)
    text = fields.string("text", required=True, max_length=20000)
    agenda_item_id = fields.integer("agenda_item_id", minimum=1)
    item = db.session.get(AgendaItem, agenda_item_id) if agenda_item_id else None
    if agenda_item_id and (item is None or item.meeting_id != meeting.id):
        fields.fail("agenda_item_id", _("No such agenda item in this meeting."))
    fields.raise_if_errors()
    conclusion = Conclusion(meeting_id=meeting.id, agenda_item_id=agenda_item_id, text=text, author_id=actor.id,
                            created_at=now)
    db.session.add(conclusion)
    db.session.commit()
    return conclusion
