"""The meetings' part of the OpenAPI document (/api/v1/meetings, /api/v1/documents)."""
from meetings.api.openapi import (ID, OPT_ID, SINCE, _INT, _OPT_INT, _OPT_STR, _STR, ids, number, op, partial, path_id,
                                  query, ref, register, text)

_BOOL = {"type": "boolean"}
_OBJ = {"type": "object"}
ACCESS = {"enum": ["download", "app", "screen"], "description": (
    "download: the reader may keep their stamped copy; app: drawn in the app from that copy, no download "
    "or print; screen: never leaves the server as a file, page images only")}
_PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
_IMAGE = {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}
MEETING, DOCUMENT, ITEM = path_id("meeting_id"), path_id("document_id"), path_id("item_id")
VERSION_Q = query("version", ID, "an older version (the meeting's secretaries only)")
# The reader adds it for documents it may not keep: the image is the same either way (stamped for the
# reader when the document is read in the app only); the parameter only keeps browser caches apart.
STAMPED_Q = query("stamped", {"enum": ["1"]}, "the reader's stamped image is expected (a cache key only)")
UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": (
        "PDF, or an office file converted to PDF by LibreOffice: Word (.doc, .docx, .docm, .rtf), Excel (.xls, "
        ".xlsx, .xlsm), PowerPoint (.ppt, .pptx, .pptm), OpenDocument (.odt, .ods, .odp); recognised by its content, "
        "not its name. Refusals: 413 too_large/too_many_pages; 415 not_pdf (names the accepted formats), "
        "conversion_unavailable (LibreOffice not installed); 422 encrypted (password), broken_office/broken_pdf "
        "(damaged), conversion_failed, conversion_timeout, empty_pdf. Conversion takes seconds: the response "
        "comes when the document is stored.")},
    "title": text(500, required=False), "agenda_item_id": ID, "audience": {"enum": ["all", "chosen"]},
    "access": ACCESS, "read_only": {**_BOOL, "description": "deprecated: true means access `app`"},
    "reader_ids": ids(), "version": ID}}}}}
ROLE = {"enum": ["chair", "secretary", "member", "guest"]}
SEARCH_Q = query("q", text(200, required=False) | {"type": "string"}, "words; diacritics do not matter")
FILE_ERRORS = ("401", "403", "404", "409", "413", "415", "422")


def _binary(summary: str, content: dict, params=None, errors=("401", "403", "404")) -> dict:
    operation = op(summary, params=params, errors=errors)
    operation["responses"]["200"].update(content)
    return operation


def _personal_copy() -> dict:
    operation = _binary(
        "The caller's personal stamped PDF, in byte ranges if asked (206, strong ETag, If-Range). A `download` "
        "document is sent as a file; an `app` one only to the reader's pdf.js (the header says so), never as a file; "
        "a `screen` one never (403)", _PDF, [VERSION_Q, {
            "name": "X-Meetings-Reader", "in": "header", "required": False, "schema": {"enum": ["pdfjs"]},
            "description": "sent by the reader's pdf.js: the copy is to be drawn in the app, not kept"}, {
            "name": "Range", "in": "header", "required": False,
            "schema": {"type": "string", "pattern": "^bytes=[0-9]*-[0-9]*$"}, "description": "one byte range"}],
        ("401", "403", "404", "409", "416", "503"))
    operation["responses"]["206"] = {"description": "The asked byte range", **_PDF}
    return operation


def _upload(summary: str, response: dict) -> dict:
    operation = op(summary, response, "202", errors=FILE_ERRORS)
    operation["requestBody"] = UPLOAD
    return operation

AGENDA_ITEM_INPUT = {"type": "object", "required": ["title"], "properties": {
    "title": text(500), "presenter_id": OPT_ID, "presenter_unit_id": OPT_ID,
    "duration_minutes": number(0, 24 * 60, nullable=True), "parent_id": OPT_ID,
    "status": {"enum": ["pending", "current", "done", "skipped"]}, "version": ID}}


register(
    {
        "/api/v1/meetings": {
            "get": op("Meetings the caller may see", {"type": "object", "properties": {
                "meetings": {"type": "array", "items": _OBJ}}}),
            "post": op("Set up a meeting: the event fields of POST /api/v1/events plus participants",
                       ref("Meeting"), "201", ref("MeetingInput"), errors=("401", "403", "409", "415", "422")),
        },
        "/api/v1/events/{event_id}/meeting": {
            "parameters": [path_id("event_id")],
            "post": op("Turn a schedule entry into a meeting (same id, time, leaders, room and history); "
                       "already a meeting: 409; cancelled or recurring: 422", ref("Meeting"), "201",
                       errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/meetings/{meeting_id}": {
            "parameters": [MEETING],
            "get": op("A meeting with only what the caller may see (non-participants: 404)", ref("Meeting"),
                      errors=("401", "404")),
            "patch": op("Change the meeting's status or confidentiality", ref("Meeting"), body={
                "type": "object", "properties": {"status": {"enum": ["draft", "published", "in_progress", "ended"]},
                                                 "confidential": _BOOL}}, errors=("401", "403", "404", "422")),
        },
        "/api/v1/meetings/{meeting_id}/changes": {
            "parameters": [MEETING, query("since", SINCE, "the meeting's version you have")],
            "get": op("The change log after a version", _OBJ, errors=("401", "404")),
        },
        "/api/v1/meetings/{meeting_id}/participants": {
            "parameters": [MEETING],
            "post": op("Add people (participants, user_ids with a role) or whole units (unit_ids)", ref("Meeting"),
                       "201", {"type": "object", "properties": {
                           "participants": {"type": "array", "items": ref("ParticipantInput")},
                           "user_ids": ids(), "unit_ids": ids(), "role": ROLE, "version": ID}}, errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/meetings/{meeting_id}/participants/{user_id}": {
            "parameters": [MEETING, path_id("user_id")],
            "patch": op("Role or attendance of a participant", _OBJ, body={"type": "object", "properties": {
                "role": ROLE, "attendance": {"enum": ["invited", "accepted", "declined", "present", "absent"]},
                "version": ID}}, errors=("401", "403", "404", "409", "422")),
            "delete": op("Remove a participant", status="204", params=[query("version", ID)],
                         errors=("401", "403", "404", "409")),
        },
        "/api/v1/meetings/{meeting_id}/agenda": {
            "parameters": [MEETING],
            "post": op("Add an agenda item", ref("AgendaItem"), "201", ref("AgendaItemInput"),
                       errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/meetings/{meeting_id}/agenda/{item_id}": {
            "parameters": [MEETING, ITEM],
            "patch": op("Change an agenda item", ref("AgendaItem"), body=partial(AGENDA_ITEM_INPUT),
                        errors=("401", "403", "404", "409", "422")),
            "delete": op("Remove an agenda item and its sub-items (documents stay)", status="204",
                         params=[query("version", ID)], errors=("401", "403", "404", "409")),
        },
        "/api/v1/meetings/{meeting_id}/agenda/order": {
            "parameters": [MEETING],
            "put": op("Reorder the agenda; a stale version gives 409 `stale` with the meeting as it is now",
                      ref("Meeting"), body={"type": "object", "required": ["item_ids", "version"], "properties": {
                          "item_ids": ids(), "version": ID}},
                      errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/meetings/{meeting_id}/documents": {
            "parameters": [MEETING],
            "post": _upload("Upload a document: 202 with `state` `processing`; the worker checks, sanitises and indexes it, "
                            "then `state` is `ready`, or `refused` with `refusal.code` and `refusal.message` "
                            "(GET /api/v1/documents/ID, or the `document_state` socket event). A file refused "
                            "at once (empty, too large, not a PDF) stores nothing",
                            ref("Document")),
        },
        "/api/v1/meetings/{meeting_id}/search": {
            "parameters": [MEETING, SEARCH_Q],
            "get": op("Pages of the meeting's documents the caller may see", ref("Hits"), errors=("401", "404")),
        },
        "/api/v1/documents/search": {
            "get": op("Pages of documents in all the caller's meetings", ref("Hits"),
                      params=[SEARCH_Q]),
        },
        "/api/v1/meetings/{meeting_id}/dossier": {
            "parameters": [MEETING],
            "get": _binary("The whole dossier as one PDF stamped for the caller", _PDF),
        },
        "/api/v1/meetings/{meeting_id}/unread": {
            "parameters": [MEETING],
            "get": op("Per document, who has not opened it yet (secretaries)", _OBJ, errors=("401", "403", "404")),
        },
        "/api/v1/documents/{document_id}": {
            "parameters": [DOCUMENT],
            "get": op("A document (with its versions for the meeting's secretaries)", ref("Document"),
                      errors=("401", "404")),
            "patch": op("Title, agenda item and who may read it", ref("Document"), body={"type": "object", "properties": {
                "title": text(500, required=False), "agenda_item_id": OPT_ID, "audience": {"enum": ["all", "chosen"]},
                "reader_ids": ids(), "access": ACCESS,
                "read_only": {**_BOOL, "description": "deprecated: true means access `app`"}, "version": ID}},
                errors=("401", "403", "404", "409", "422")),
            "delete": op("Remove a document from the dossier", status="204", params=[query("version", ID)],
                         errors=("401", "403", "404", "409")),
        },
        "/api/v1/documents/{document_id}/versions": {
            "parameters": [DOCUMENT],
            "post": _upload("Upload a new version: 202; it becomes current when the worker has accepted it (older ones are kept)", ref("Document")),
        },
        "/api/v1/documents/{document_id}/file": {
            "parameters": [DOCUMENT],
            "get": _personal_copy(),
        },
        "/api/v1/documents/{document_id}/original": {
            "parameters": [DOCUMENT],
            "get": _binary("The upload as received, for the record (admins only)",
                           {"content": {"application/octet-stream": {}}}, [VERSION_Q], ("401", "404")),
        },
        "/api/v1/documents/{document_id}/pages/{page}": {
            "parameters": [DOCUMENT, path_id("page")],
            "get": _binary("Page N (1-based) as an image, with ETag; a reader who may not keep the document as a "
                           "file gets it with their own stamp in the pixels, revalidated on each use", _IMAGE, [
                query("width", {"type": "integer", "minimum": 480, "maximum": 2048}, "default 1024"), query("format", {"enum": ["jpeg", "webp", "png"]}),
                VERSION_Q, STAMPED_Q], ("401", "404", "409", "422", "503")),
        },
        "/api/v1/documents/{document_id}/thumbnails/{page}": {
            "parameters": [DOCUMENT, path_id("page")],
            "get": _binary("A small JPEG of page N for the page strip (stamped like the page)", _IMAGE,
                           [VERSION_Q, STAMPED_Q], ("401", "404", "409", "422", "503")),
        },
        "/api/v1/documents/{document_id}/log": {
            "parameters": [DOCUMENT],
            "get": op("Every view and download: who, version, when (secretaries)", _OBJ, errors=("401", "403", "404")),
        },
        "/api/v1/meeting-templates": {
            "get": op("Meeting templates", _OBJ),
        },
        "/api/v1/meetings/{meeting_id}/template": {
            "parameters": [MEETING],
            "post": op("Save the meeting's agenda and participants as a template", _OBJ, "201",
                       {"type": "object", "required": ["name"], "properties": {"name": text(300)}}, errors=("401", "403", "404", "422")),
        },
    },
    {
        "MeetingInput": {"allOf": [ref("EventInput"), {"type": "object", "properties": {
            "participants": {"type": "array", "items": ref("ParticipantInput")},
            "chair_id": {**OPT_ID, "description": "a leader, who chairs (chủ trì)"},
            "leader_ids": {**ids(), "description": "leaders who take part (dự)"},
            "unit_ids": ids(), "confidential": _BOOL,
            "template_id": ID, "copy_from": {**ID, "description": "a past meeting to copy"}}}]},
        "ParticipantInput": {"type": "object", "required": ["user_id"], "properties": {"user_id": ID, "role": ROLE}},
        "AgendaItemInput": AGENDA_ITEM_INPUT,
        "AgendaItem": {"type": "object", "properties": {
            "id": _INT, "title": _STR, "position": _INT, "status": _STR, "parent_id": _OPT_INT,
            "presenter_id": _OPT_INT, "presenter_unit_id": _OPT_INT, "presenter": _OPT_STR,
            "duration_minutes": _OPT_INT, "documents": {"type": "array", "items": ref("Document")}}},
        "Document": {"type": "object", "properties": {
            "id": _INT, "title": _STR, "pages": _INT, "version": _INT, "agenda_item_id": _OPT_INT,
            "audience": _STR, "access": ACCESS, "read_only": {**_BOOL, "description": "access is not download"},
            "can_download": _BOOL,
            "state": {"enum": ["processing", "ready", "refused"], "description": "the newest upload (secretaries)"},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "refusal": {"type": ["object", "null"], "properties": {"code": _STR, "message": _STR}}}},
        "Meeting": {"type": "object", "properties": {
            "id": _INT, "title": _STR, "start": _STR, "end": _STR, "version": _INT, "current_item_id": _OPT_INT,
            "status": {"enum": ["draft", "published", "in_progress", "ended"]}, "confidential": _BOOL,
            "room": _OPT_STR, "online_url": _OPT_STR, "agenda": {"type": "array", "items": ref("AgendaItem")},
            "participants": {"type": "array", "items": _OBJ}, "documents": {"type": "array", "items": ref("Document")}}},
        "Hits": {"type": "object", "properties": {"hits": {"type": "array", "items": {"type": "object", "properties": {
            "document_id": _INT, "page": _INT, "snippet": {"type": "string", "description": "HTML, hits in <mark>"},
            "meeting_id": _INT, "title": _STR}}}}},
    },
)
