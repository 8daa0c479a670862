"""A meeting as JSON, holding only what the caller may see (the API and the stale-version answer use it)."""
from meetings.dossiers import agenda
from meetings.dossiers.access import can_download_document, can_manage_meeting, can_see_document
from meetings.timeutil import app_zone


def document_json(document, user, manager: bool = False) -> dict:
    data = {"id": document.id, "title": document.title, "pages": document.pages, "version": document.current_version,
            "agenda_item_id": document.agenda_item_id, "audience": document.audience,
            "access": document.access, "read_only": document.read_only,
            "can_download": can_download_document(user, document)}
    if manager:
        # The newest upload's state: readers only ever see ready documents, so only managers get it.
        data.update(state=document.state, progress=document.progress,
                    refusal={"code": document.refusal_code, "message": document.refusal_reason}
                    if document.state == "refused" else None)
        data["reader_ids"] = document.reader_ids
        data["versions"] = [{"number": v.number, "pages": v.pages, "filename": v.filename,
                             "created_at": v.created_at.astimezone(app_zone()).isoformat()}
                            for v in document.versions]
    return data


def item_json(item, documents: list[dict]) -> dict:
    return {"id": item.id, "title": item.title, "position": item.position, "status": item.status,
            "parent_id": item.parent_id, "presenter_id": item.presenter_id,
            "presenter_unit_id": item.presenter_unit_id,
            "presenter": item.presenter.name if item.presenter else (item.presenter_unit.name
                                                                      if item.presenter_unit else None),
            "duration_minutes": item.duration_minutes,
            "documents": [d for d in documents if d["agenda_item_id"] == item.id]}


def participant_json(part, show_reason: bool = True) -> dict:
    """`rsvp` is the participant's own answer (None: not yet); `delegate_for` the user id of whom a
    delegate stands in for, `delegate_id` the delegate of one who sent somebody."""
    user = part.user
    delegate = next((p for p in part.meeting.participants if p.delegate_for_id == user.id), None)
    return {"user_id": user.id, "name": user.name, "title": user.title, "unit_id": user.unit_id,
            "unit": user.unit.name if user.unit else None, "role": part.role, "attendance": part.attendance,
            "rsvp": part.rsvp, "rsvp_reason": part.rsvp_reason if show_reason else None,
            "rsvp_at": part.rsvp_at.isoformat() if part.rsvp_at else None,
            "delegate_for": part.delegate_for_id,
            "delegate_for_name": part.delegate_for.name if part.delegate_for else None,
            "delegate_id": delegate.user_id if delegate else None,
            "delegate_name": delegate.user.name if delegate else None}


# Other features add their part of a meeting's state here (the live room adds "live"), so that
# GET /api/v1/meetings/ID, the join acknowledgement and the 409 answer stay one body.
EXTRAS: list = []


def meeting_json(meeting, user) -> dict:
    zone, event = app_zone(), meeting.event
    manager = can_manage_meeting(user, meeting)
    documents = [document_json(d, user, manager) for d in meeting.documents if can_see_document(user, d)]
    data = {
        "id": meeting.id, "title": event.title, "start": event.start_at.astimezone(zone).isoformat(),
        "end": event.end_at.astimezone(zone).isoformat(), "status": meeting.status, "version": meeting.version,
        "current_item_id": meeting.current_item_id, "confidential": meeting.confidential,
        "room": event.room.name if event.room else None, "location": event.location,
        "online_url": event.online_url, "can_manage": manager,
        "agenda": [item_json(i, documents) for i in agenda.ordered(meeting)],
        # A reason for declining is for the secretaries and the one who gave it.
        "participants": [participant_json(p, manager or p.user_id == user.id) for p in meeting.participants],
        "documents": documents,
    }
    for extra in EXTRAS:
        data.update(extra(meeting, user))
    return data


def summary_json(meeting) -> dict:
    zone, event = app_zone(), meeting.event
    return {"id": meeting.id, "title": event.title, "start": event.start_at.astimezone(zone).isoformat(),
            "end": event.end_at.astimezone(zone).isoformat(), "status": meeting.status, "version": meeting.version}
