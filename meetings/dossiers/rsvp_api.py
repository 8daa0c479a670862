"""/api/v1/meetings/ID/rsvp: a participant's answer (attend, decline, send a delegate), the delegate
choices, and the secretary's reminder to those who have not answered. Thin: parse, call, serialise."""
from flask import g

from meetings.api import bp
from meetings.api.openapi import _INT, OPT_ID, op, path_id, register, text
from meetings.api.routes import json_body
from meetings.dossiers import rsvp, services
from meetings.dossiers.rsvp import REASON_LENGTH
from meetings.dossiers.present import participant_json
from meetings.timeutil import now_utc


@bp.put("/meetings/<int:meeting_id>/rsvp")
def answer_invitation(meeting_id: int):
    part = rsvp.answer(meeting_id, json_body(), g.api_user, now_utc())
    return participant_json(part)


@bp.get("/meetings/<int:meeting_id>/rsvp/delegates")
def delegate_choices(meeting_id: int):
    meeting = services.get_meeting(meeting_id, g.api_user)
    return {"delegates": [{"user_id": u.id, "name": u.name, "title": u.title}
                          for u in rsvp.delegate_choices(meeting, g.api_user)]}


@bp.post("/meetings/<int:meeting_id>/rsvp/reminders")
def remind_silent(meeting_id: int):
    return rsvp.remind(meeting_id, g.api_user, now_utc())


register({
    "/api/v1/meetings/{meeting_id}/rsvp": {
        "parameters": [path_id("meeting_id")],
        "put": op("The caller's answer to the invitation: attend, decline (with a reason) or send a delegate "
                  "from their unit; the delegate becomes a participant marked delegate_for",
                  {"type": "object"}, body={"type": "object", "required": ["response"], "properties": {
                      "response": {"enum": ["accepted", "declined", "delegated"]},
                      "reason": text(REASON_LENGTH, required=False),
                      "delegate_id": OPT_ID}}, errors=("401", "403", "404", "415", "422")),
    },
    "/api/v1/meetings/{meeting_id}/rsvp/delegates": {
        "parameters": [path_id("meeting_id")],
        "get": op("Whom the caller may send in their place (active members of their unit)", {"type": "object"},
                  errors=("401", "404")),
    },
    "/api/v1/meetings/{meeting_id}/rsvp/reminders": {
        "parameters": [path_id("meeting_id")],
        "post": op("Remind every participant who has not answered (the meeting's secretaries; once an hour each)",
                   {"type": "object", "properties": {"reminded": {"type": "array", "items": _INT},
                                                     "skipped": _INT}}, errors=("401", "403", "404", "422")),
    },
})
