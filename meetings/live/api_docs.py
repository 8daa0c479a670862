"""The live room's part of the OpenAPI document."""
from meetings.api.openapi import ID, _INT, _STR, ids, op, path_id, ref, register, text

_OBJ = {"type": "object"}
_BOOL = {"type": "boolean"}
MEETING, REQUEST, VOTE = path_id("meeting_id"), path_id("request_id"), path_id("vote_id")
ERRORS = ("401", "403", "404", "409", "422")


def _body(required: list, **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


register(
    {
        "/api/v1/meetings/{meeting_id}/current": {
            "parameters": [MEETING],
            "post": op("Set the item under discussion (chair, secretaries); its start is recorded, the previous "
                       "one is done; item_id null ends the discussion. Answers the change as pushed to the "
                       "room (meeting_update); GET the meeting for its whole state", ref("MeetingUpdate"),
                       body=_body(["item_id"], item_id={**ID, "type": ["integer", "null"]}, version=ID), errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/check-ins/{user_id}": {
            "parameters": [MEETING, path_id("user_id")],
            "post": op("Check a participant in (themselves, or anyone by a secretary); absent needs a reason",
                       _OBJ, body={**_body(["status"], status={"enum": ["not_yet", "in_person", "online", "absent"]},
                                           reason=text(300, required=False)),
                                   "if": {"properties": {"status": {"const": "absent"}}},
                                   "then": {"required": ["reason"], "properties": {"reason": text(300)}}},
                errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/notices": {
            "parameters": [MEETING],
            "post": op("A short notice to every screen of the meeting (secretaries)", _OBJ, "201",
                       _body(["text"], text=text(500)), errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/presenter": {
            "parameters": [MEETING],
            "post": op("The presenter shows a document page; followers turn with it", _OBJ,
                       body=_body(["document_id", "page"], document_id=ID, page=ID,
                                  zoom={"type": "number", "minimum": 1, "maximum": 6}), errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/speaking": {
            "parameters": [MEETING],
            "post": op("Ask to speak", _OBJ, "201", errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/speaking/order": {
            "parameters": [MEETING],
            "put": op("Order the waiting requests (chair); a stale version gives 409", _OBJ, body=_body(
                ["request_ids"], request_ids=ids(), version=ID), errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/speaking/{request_id}": {
            "parameters": [MEETING, REQUEST],
            "delete": op("Withdraw a request (its author or the chair)", status="204", errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/speaking/{request_id}/grant": {
            "parameters": [MEETING, REQUEST],
            "post": op("Give the floor (chair)", _OBJ, errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/speaking/{request_id}/finish": {
            "parameters": [MEETING, REQUEST],
            "post": op("End a turn (the speaker or the chair)", _OBJ, errors=ERRORS),
        },
        "/api/v1/meetings/{meeting_id}/votes": {
            "parameters": [MEETING],
            "post": op("Open a vote (chair): options default to yes/no/abstain; secret ballots keep no link "
                       "between voter and choice", _OBJ, "201", _body(
                           ["question"], question=text(500), secret=_BOOL, options={
                               "type": ["array", "null"], "items": text(200), "minItems": 2, "maxItems": 20,
                               "uniqueItems": True, "description": "null or left out: yes, no, abstain"}),
                       errors=ERRORS),
        },
        "/api/v1/votes/{vote_id}/ballot": {
            "parameters": [VOTE],
            "post": op("Vote, or change one's vote until the vote closes", _OBJ, body=_body(["choice"], choice=text(200)),
                       errors=ERRORS),
        },
        "/api/v1/votes/{vote_id}/close": {
            "parameters": [VOTE],
            "post": op("Close a vote (chair); everyone sees the result", _OBJ, errors=ERRORS),
        },
    },
    {
        "MeetingUpdate": _body(["meeting_id", "version", "type", "data"], meeting_id=_INT, version=_INT, type=_STR,
                               data=_OBJ),
    },
)
