"""The briefcase's part of the OpenAPI document."""
from meetings.api.openapi import ID, _INT, _STR, op, query, register
from meetings.offline.briefcase import MAX_HELD

_URLS = {"type": "array", "items": _STR}
_LEVEL = {"enum": ["download", "app", "screen"]}
_DOC = {"type": "object", "required": ["id", "title", "access", "version", "urls"], "properties": {
    "id": ID, "title": _STR, "access": _LEVEL, "version": _INT, "urls": _URLS}}
_ONLINE = {"type": "object", "required": ["id", "title", "access"], "properties": {"id": ID, "title": _STR, "access": _LEVEL}}
_MEETING = {"type": "object", "required": ["id", "title", "reason", "starts_at", "ends_at", "remove_after", "urls",
                                           "documents", "online_only"], "properties": {
    "id": ID, "title": _STR, "reason": {"enum": ["coming", "held"]},
    "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
    "remove_after": {"type": "string", "format": "date-time"}, "urls": _URLS,
    "documents": {"type": "array", "items": {"$ref": "#/components/schemas/BriefcaseDocument"}},
    "online_only": {"type": "array", "items": _ONLINE}}}
_HELD = {"type": "string", "maxLength": 11 * MAX_HELD, "pattern": f"^[0-9]{{1,10}}(,[0-9]{{1,10}}){{0,{MAX_HELD - 1}}}$"}

register({
    "/api/v1/me/briefcase": {"get": op(
        "What this device may keep for offline reading: my coming meetings and, of those it holds, the ones "
        "I may still see; each with the addresses to keep. The device deletes every meeting left out.",
        {"type": "object", "required": ["days", "keep_days", "meetings"], "properties": {
            "days": _INT, "keep_days": _INT,
            "meetings": {"type": "array", "items": {"$ref": "#/components/schemas/BriefcaseMeeting"}}}},
        params=[query("held", _HELD, "the meetings the device holds, as ids separated by commas")],
        errors=("401", "422"))},
}, {"BriefcaseMeeting": _MEETING, "BriefcaseDocument": _DOC})
