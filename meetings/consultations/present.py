"""A request for opinions as JSON, with only what the caller may see."""
from meetings.consultations import access
from meetings.consultations.models import AnswerVersion, Consultation, Recipient
from meetings.consultations.services import pending
from meetings.dossiers.access import can_download_document, can_see_document


def _iso(moment):
    return moment.isoformat() if moment else None


def version_json(version: AnswerVersion) -> dict:
    return {"number": version.number, "answers": version.answers, "no_opinion": version.no_opinion,
            "submitted": version.submitted_at is not None, "submitted_at": _iso(version.submitted_at),
            "submitted_by_id": version.submitted_by_id, "prepared_by_id": version.prepared_by_id,
            "updated_at": _iso(version.updated_at), "attachment": version.attachment_name}


def who(recipient: Recipient) -> dict:
    return {"recipient_id": recipient.id, "user_id": recipient.user_id, "unit_id": recipient.unit_id,
            "name": recipient.user.name if recipient.user_id else recipient.unit.name,
            "unit": (recipient.user.unit.name if recipient.user and recipient.user.unit else None)
            if recipient.user_id else recipient.unit.name, **delegate_json(recipient)}


def delegate_json(recipient: Recipient) -> dict:
    """For a unit: the member its head named to answer for it (null when the head answers), and who
    named them when (kept after taking it back, for the record)."""
    if recipient.unit_id is None:
        return {}
    person = access.delegate_of(recipient)
    return {"delegate": {"user_id": person.id, "name": person.name} if person else None,
            "delegated_by_id": recipient.delegated_by_id, "delegated_at": _iso(recipient.delegated_at)}


def answer_json(recipient: Recipient, with_draft: bool, user=None) -> dict:
    current = recipient.submitted
    found = {**who(recipient), "answered": current is not None,
             "no_opinion": bool(current and current.no_opinion),
             "answers": current.answers if current else [], "submitted_at": _iso(current.submitted_at) if current else None,
             "attachment": current.attachment_name if current else None,
             "versions": [version_json(v) for v in recipient.versions if v.submitted_at is not None]}
    if with_draft:
        found["draft"] = version_json(recipient.draft) if recipient.draft else None
    if user is not None and access.can_name_delegate(user, recipient):  # the head's choice of members
        from meetings.consultations.delegation import members

        found["can_delegate"] = True
        found["members"] = [{"user_id": m.id, "name": m.name} for m in members(recipient)]
    return found


def consultation_json(consultation: Consultation, user) -> dict:
    manages = access.can_manage(user, consultation)
    mine = access.recipients_of(user, consultation)
    visible = consultation.recipients if manages else mine
    documents = [{"id": d.id, "title": d.title, "pages": d.pages, "version": d.current_version,
                  "can_download": can_download_document(user, d)}
                 for d in consultation_documents(consultation) if can_see_document(user, d)]
    return {
        "id": consultation.id, "title": consultation.title, "status": consultation.status,
        "deadline": _iso(consultation.deadline), "meeting_id": consultation.meeting_id,
        "task_id": consultation.task_id, "version": consultation.version,
        "created_at": _iso(consultation.created_at), "sent_at": _iso(consultation.sent_at),
        "closed_at": _iso(consultation.closed_at),
        "questions": [{"question": q.position, "kind": q.kind, "text": q.text, "options": q.options}
                      for q in consultation.questions],
        "user_ids": [r.user_id for r in consultation.recipients if r.user_id] if manages else [],
        "unit_ids": [r.unit_id for r in consultation.recipients if r.unit_id] if manages else [],
        "documents": documents,
        "asked": len(consultation.recipients),
        "answered": sum(1 for r in consultation.recipients if r.submitted is not None),
        "answers": [answer_json(r, with_draft=manages or access.can_prepare(user, r), user=user) for r in visible],
        "pending": [who(r) for r in pending(consultation)] if manages else
                   [who(r) for r in mine if r.submitted is None],
        "extensions": [{"old_deadline": _iso(e.old_deadline), "new_deadline": _iso(e.new_deadline),
                        "by_id": e.by_id, "at": _iso(e.at)} for e in consultation.extensions],
        "can_manage": manages,
        **periodic_json(consultation),
    }


def periodic_json(consultation: Consultation) -> dict:
    """A periodic report's rule (and in words) and its rounds; a round's series and period."""
    from meetings.calendar.rule_words import describe_rule
    from meetings.consultations.periodic import rounds
    from meetings.timeutil import app_zone

    found = rounds(consultation) if consultation.recurrence else []
    return {"recurrence": consultation.recurrence, "lead_days": consultation.lead_days,
            "recurrence_words": describe_rule(consultation.recurrence, consultation.deadline, app_zone()) or None,
            "series_id": consultation.series_id, "period": _iso(consultation.period),
            "rounds": [{"id": r.id, "period": _iso(r.period), "deadline": _iso(r.deadline), "status": r.status,
                        "asked": len(r.recipients), "answered": sum(1 for x in r.recipients if x.submitted is not None)}
                       for r in found]}


def consultation_documents(consultation: Consultation):
    from meetings.extensions import db
    from meetings.dossiers.models import Meeting

    return db.session.get(Meeting, consultation.carrier_id).documents


def summary_json(consultation: Consultation) -> dict:
    return {"id": consultation.id, "title": consultation.title, "status": consultation.status,
            "deadline": _iso(consultation.deadline), "asked": len(consultation.recipients),
            "answered": sum(1 for r in consultation.recipients if r.submitted is not None)}
