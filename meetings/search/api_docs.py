"""The OpenAPI description of GET /api/v1/search."""
from meetings.api.openapi import ID, YEARS_PATTERN, op, query, ref, register
from meetings.search.input import MAX_QUERY
from meetings.search.models import KINDS
from meetings.search.services import MAX_LIMIT

_NULL_INT = {"type": ["integer", "null"]}
_DATE = {"type": "string", "format": "date", "pattern": YEARS_PATTERN}
register({
    "/api/v1/search": {
        "get": op("Documents (by page), entries, conclusions, tasks and minutes the caller may read, best first",
                  ref("SearchResults"), errors=("401", "422"), params=[
                      query("q", {"type": "string", "maxLength": MAX_QUERY},
                            'words (all of them must occur), "a phrase" in quotes; diacritics and case do not matter'),
                      query("kind", {"enum": list(KINDS)}, "only this kind"),
                      query("from", _DATE, "on or after this local date"),
                      query("to", _DATE, "on or before this local date"),
                      query("leader_id", ID, "entries and meetings this leader leads, tasks they gave"),
                      query("unit_id", ID, "entries and meetings this unit takes part in, its tasks"),
                      query("meeting_id", ID, "only what belongs to this meeting (entry)"),
                      query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
                      query("cursor", {"type": "string", "maxLength": 300}, "next_cursor of the page before"),
                  ]),
    },
}, {
    "SearchResult": {"type": "object", "required": ["kind", "id", "title", "snippet", "url", "meeting_id", "page",
                                                    "score"], "properties": {
        "kind": {"enum": list(KINDS)}, "id": {"type": "integer"}, "title": {"type": "string"},
        "snippet": {"type": "string", "description": "HTML: escaped text, the hits in <mark>; empty for a "
                                                     "document read in the app only"},
        "url": {"type": "string"}, "meeting_id": _NULL_INT, "page": _NULL_INT, "score": {"type": "integer"}}},
    "SearchResults": {"type": "object", "required": ["results", "next_cursor", "total"], "properties": {
        "results": {"type": "array", "items": ref("SearchResult")},
        "next_cursor": {"type": ["string", "null"]}, "total": {"type": "integer"},
        "total_is_estimate": {"type": "boolean", "description": "present (true) when total is a lower bound"}}},
})
