"""The consultations' part of the OpenAPI document (/api/v1/consultations)."""
from meetings.api.openapi import ID, OPT_ID, YEARS_PATTERN, _INT, _OPT_INT, _OPT_STR, _STR, ids, op, path_id, query, ref, register, text

_BOOL = {"type": "boolean"}
_ARRAY = {"type": "array", "items": {"type": "object"}}
CONSULTATION = path_id("consultation_id")
DEADLINE = {"type": "string", "maxLength": 40,
            "pattern": YEARS_PATTERN + "(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]"
                       "(:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$",
            "description": "date and time; without an offset, in the office's time zone; must be in the future"}
QUESTION = {"type": "object", "required": ["kind", "text"], "properties": {
    "kind": {"enum": ["choice", "text"]}, "text": text(2000),
    "options": {"type": "array", "items": text(200), "maxItems": 20,
                "description": "choice: 2 to 20 different options, e.g. Đồng ý / Không đồng ý / Ý kiến khác"}}}
UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "PDF, or Word, Excel, PowerPoint and OpenDocument files when LibreOffice is installed"},
        "title": text(500, required=False), "access": {"enum": ["download", "app", "screen"]}, "read_only": _BOOL}}}}}
ANSWER_FILE = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "PDF; DOCX/ODT when LibreOffice is installed"},
        "for_user_id": ID, "unit_id": ID}}}}}
_CSV = {"content": {"text/csv": {"schema": _STR}}}
_PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


def _file(summary: str, content: dict) -> dict:
    operation = op(summary, errors=("401", "403", "404"))
    operation["responses"]["200"].update(content)
    return operation


upload = op("Upload a draft document (as for meetings: taken at once, then checked, sanitised and indexed by the "
            "worker; stamped per reader)", ref("Document"), "202", errors=("401", "403", "404", "409", "413", "415", "422"))
upload["requestBody"] = UPLOAD

register(
    {
        "/api/v1/consultations": {
            "get": op("Requests for opinions the caller manages or is asked in", {"type": "object", "properties": {
                "consultations": _ARRAY}}),
            "post": op("Set up a request for opinions (secretaries); a draft until sent", ref("Consultation"), "201",
                       ref("ConsultationInput"), errors=("401", "403", "415", "422")),
        },
        "/api/v1/consultations/{consultation_id}": {
            "parameters": [CONSULTATION],
            "get": op("The request, with the answers the caller may see and who has not answered (not asked: 404)",
                      ref("Consultation"), errors=("401", "404")),
        },
        "/api/v1/consultations/{consultation_id}/documents": {
            "parameters": [CONSULTATION],
            "post": upload,
        },
        "/api/v1/consultations/{consultation_id}/send": {
            "parameters": [CONSULTATION],
            "post": op("Send the draft: those asked are told (app and e-mail, per their preferences)",
                       ref("Consultation"), errors=("401", "403", "404", "409", "422")),
        },
        "/api/v1/consultations/{consultation_id}/answer": {
            "parameters": [CONSULTATION],
            "put": op("Save the caller's answer as a draft, or submit it (`submit`: true); after the deadline "
                      "409 `closed`. A secretary prepares a leader's draft with `for_user_id`",
                      ref("Consultation"), body=ref("AnswerInput"), errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/consultations/{consultation_id}/delegate": {
            "parameters": [CONSULTATION],
            "put": op("A unit's head names a member of the unit who answers (submits) for it, or takes it back "
                      "(`user_id`: null); the member named is told. Not the head: 403; after the deadline 409",
                      ref("Consultation"), body={"type": "object", "required": ["unit_id", "user_id"], "properties": {
                          "unit_id": ID, "user_id": OPT_ID}},
                      errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/consultations/{consultation_id}/answer/file": {
            "parameters": [CONSULTATION],
            "post": {**op("Attach a file to the caller's draft answer (checked and sanitised as meeting documents; "
                          "kept as PDF); after the deadline 409 `closed`", ref("Consultation"),
                          errors=("401", "403", "404", "409", "413", "415", "422")),
                     "requestBody": ANSWER_FILE},
        },
        "/api/v1/consultations/{consultation_id}/answers/{recipient_id}/file": {
            "parameters": [CONSULTATION, path_id("recipient_id")],
            "get": {**_file("An answer's file: the last version sent, or ?version=N", _PDF),
                    "parameters": [query("version", ID, "a version's number (lần)")]},
        },
        "/api/v1/consultations/{consultation_id}/extend": {
            "parameters": [CONSULTATION],
            "post": op("Extend the deadline (recorded with the old one)", ref("Consultation"),
                       body={"type": "object", "required": ["deadline"], "properties": {"deadline": DEADLINE}},
                       errors=("401", "403", "404", "409", "415", "422")),
        },
        "/api/v1/consultations/{consultation_id}/close": {
            "parameters": [CONSULTATION],
            "post": op("Close the request: its summary is rendered, signed when a certificate is set, and frozen",
                       ref("Consultation"), errors=("401", "403", "404", "409")),
        },
        "/api/v1/consultations/{consultation_id}/remind": {
            "parameters": [CONSULTATION],
            "post": op("Remind everyone who has not answered, now", {"type": "object", "properties": {
                "reminded": _INT}}, errors=("401", "403", "404", "409")),
        },
        "/api/v1/consultations/{consultation_id}/rounds": {
            "parameters": [CONSULTATION],
            "get": op("A periodic report's rounds and, per unit (or person) asked and per period, on_time / late / "
                      "missing / pending; someone asked sees only their own row (not asked: 404)",
                      ref("PeriodicTable"), errors=("401", "404")),
        },
        "/api/v1/consultations/{consultation_id}/summary.pdf": {
            "parameters": [CONSULTATION],
            "get": _file("The summary (bản tổng hợp ý kiến), A4 in the administrative layout; frozen once closed",
                         _PDF),
        },
        "/api/v1/consultations/{consultation_id}/summary.csv": {
            "parameters": [CONSULTATION],
            "get": _file("The summary as UTF-8 CSV with a byte-order mark; frozen once closed", _CSV),
        },
    },
    {
        "ConsultationInput": {"type": "object", "required": ["title", "questions", "deadline"], "properties": {
            "title": text(500), "questions": {"type": "array", "minItems": 1, "maxItems": 50, "items": QUESTION},
            "deadline": DEADLINE, "user_ids": ids(), "unit_ids": ids(), "meeting_id": OPT_ID, "task_id": OPT_ID,
            "recurrence": {"type": ["string", "null"], "maxLength": 400,
                           "description": "a periodic report: an RRULE in the office's zone (WEEKLY, MONTHLY, "
                                          "YEARLY; quarterly is FREQ=MONTHLY;INTERVAL=3) whose occurrences are the "
                                          "rounds' deadlines, the first being `deadline`"},
            "lead_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 90,
                          "description": "days before each deadline its round opens (default 14)"}}},
        "AnswerInput": {"type": "object", "properties": {
            "answers": {"type": "array", "maxItems": 50, "items": {"type": "object", "required": ["question"],
                                                                    "properties": {
                "question": ID, "choice": {"type": ["string", "null"], "maxLength": 200},
                "text": text(10000, required=False)}}},
            "submit": _BOOL, "no_opinion": {**_BOOL, "description": "Không có ý kiến: an answer, unlike none"},
            "for_user_id": ID, "unit_id": ID}},
        "Consultation": {"type": "object", "properties": {
            "id": _INT, "title": _STR, "status": {"enum": ["draft", "sent", "closed", "recurring"]}, "deadline": _STR,
            "meeting_id": _OPT_INT, "task_id": _OPT_INT, "version": _INT, "sent_at": _OPT_STR,
            "closed_at": _OPT_STR, "questions": _ARRAY, "documents": _ARRAY, "asked": _INT, "answered": _INT,
            "answers": _ARRAY, "pending": _ARRAY, "extensions": _ARRAY, "user_ids": {"type": "array", "items": _INT},
            "unit_ids": {"type": "array", "items": _INT}, "can_manage": _BOOL, "created_at": _OPT_STR,
            "recurrence": _OPT_STR, "recurrence_words": _OPT_STR, "lead_days": _OPT_INT, "series_id": _OPT_INT,
            "period": _OPT_STR, "rounds": _ARRAY}},
        "PeriodicTable": {"type": "object", "properties": {
            "consultation_id": _INT, "recurrence": _OPT_STR, "periods": _ARRAY, "rows": _ARRAY}},
    },
)
