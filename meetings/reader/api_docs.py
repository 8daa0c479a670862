"""The reader's part of the OpenAPI document."""
from meetings.api.openapi import YEARS_PATTERN, ID, text, _INT, _STR, op, path_id, query, ref, register

_BOOL = {"type": "boolean"}
_NUM = {"type": "number"}
_OBJ = {"type": "object"}
_PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
DOCUMENT, MEETING = path_id("document_id"), path_id("meeting_id")
ANNOTATION_ID = {"name": "annotation_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
_RECT = {"type": "array", "items": _NUM, "minItems": 4, "maxItems": 4}
_POINT = {"type": "array", "items": _NUM, "minItems": 2, "maxItems": 2}


def _binary(summary: str, params=None, errors=("401", "403", "404")) -> dict:
    operation = op(summary, params=params, errors=errors)
    operation["responses"]["200"].update(_PDF)
    return operation


register(
    {
        "/api/v1/documents/{document_id}/annotations": {
            "parameters": [DOCUMENT],
            "get": op("My annotations and the shared ones on the current version (or ?version=N)",
                      {"type": "object", "properties": {"version": _INT, "annotations": {
                          "type": "array", "items": ref("Annotation")}}},
                      params=[query("version", ID)], errors=("401", "404")),
        },
        "/api/v1/documents/{document_id}/annotations/{annotation_id}": {
            "parameters": [DOCUMENT, ANNOTATION_ID],
            "put": op("Create or replace one of my annotations (idempotent; the newer updated_at wins)",
                      ref("Annotation"), body=ref("Annotation"), errors=("401", "403", "404", "415", "422"),
                      description="201 when created, 200 otherwise, with the annotation as stored."),
            "delete": op("Delete one of my annotations (an edit newer than ?updated_at stays)", status="204",
                         params=[query("updated_at", {"type": "string", "format": "date-time", "pattern": YEARS_PATTERN})], errors=("401", "403", "404", "422")),
        },
        "/api/v1/documents/{document_id}/annotated": {
            "parameters": [DOCUMENT],
            "get": _binary("My stamped copy with my annotations as real PDF annotations (403 when read in the app only)",
                           [query("shared", {"enum": ["0", "1", "false", "true"]}, "1: add the shared annotations of others")]),
        },
        "/api/v1/documents/{document_id}/layout": {
            "parameters": [DOCUMENT],
            "get": op("Page boxes (unrotated points), rotation matrices and the outline", _OBJ,
                      params=[query("version", ID)], errors=("401", "404")),
        },
        "/api/v1/documents/{document_id}/pages/{page}/words": {
            "parameters": [DOCUMENT, path_id("page")],
            "get": op("The words of page N with their boxes: the reader's text layer", _OBJ,
                      params=[query("version", ID)], errors=("401", "404")),
        },
        "/api/v1/documents/{document_id}/carry-over": {
            "parameters": [DOCUMENT],
            "get": op("How many of my annotations on older versions can move to unchanged pages", _OBJ,
                      errors=("401", "404")),
            "post": op("Carry them over (idempotent); the rest stay on the old version", _OBJ,
                       errors=("401", "404")),
        },
        "/api/v1/meetings/{meeting_id}/my-notes": {
            "parameters": [MEETING],
            "get": op("My annotations across the meeting's documents", _OBJ, errors=("401", "404")),
        },
        "/api/v1/meetings/{meeting_id}/my-notes/pdf": {
            "parameters": [MEETING],
            "get": _binary("My notes as a PDF summary: text, page and a picture of the spot", errors=("401", "404")),
        },
    },
    {
        "Annotation": {"type": "object", "required": ["page", "kind"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "page": ID,
            "kind": {"enum": ["highlight", "ink", "note", "freetext"]},
            "rects": {"type": "array", "items": _RECT, "description": "highlight: [[x0,y0,x1,y1], ...]"},
            "paths": {"type": "array", "items": {"type": "array", "items": _POINT},
                      "description": "ink: [[[x,y], ...], ...], at most 10,000 points"},
            "width": _NUM, "rect": {**_RECT, "description": "note, freetext"},
            "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}, "text": text(10000, required=False),
            "shared": _BOOL,
            "updated_at": {"type": "string", "format": "date-time", "pattern": YEARS_PATTERN}, "version": ID,
            "author": _STR, "author_id": _INT, "deleted": _BOOL},
            "description": "PDF points, origin at the top-left of the page's unrotated space (PyMuPDF)."},
    },
)
