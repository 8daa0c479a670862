"""The OpenAPI 3.1 description of /api/v1. A test fails when a route is missing here.

Features add their paths with `register(paths, schemas)` at import time, beside their routes.
"""
import copy
import re

from meetings.validation import MAX_ID

PATHS: dict = {}
SCHEMAS: dict = {}


def register(paths: dict, schemas: dict | None = None) -> None:
    for path, operations in paths.items():
        PATHS.setdefault(path, {}).update(operations)
    SCHEMAS.update(schemas or {})


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def op(summary: str, response: dict | None = None, status: str = "200", body: dict | None = None,
       params: list | None = None, errors: tuple = ("401",), **extra) -> dict:
    """One operation with its success response and the error responses it can give."""
    responses = {status: {"description": "OK", **(json_content(response) if response else {})}}
    for code in errors:
        responses[code] = {"$ref": f"#/components/responses/E{code}"}
    operation = {"summary": summary, "responses": responses, **extra}
    if body:
        operation["requestBody"] = {"required": True, **json_content(body)}
    if params:
        operation["parameters"] = params
    return operation


def query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


def listing(key: str, item: str) -> dict:
    return {"type": "object", "properties": {key: {"type": "array", "items": ref(item)}, "page": {"type": "integer"},
                                              "per_page": {"type": "integer"}, "total": {"type": "integer"}}}


_STR = {"type": "string"}
_INT = {"type": "integer"}
# Ids are INTEGERs counted from 1; the server answers 404 (paths) or 422 (queries, bodies) beyond.
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
OPT_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}
_OPT_STR = {"type": ["string", "null"]}
_OPT_INT = {"type": ["integer", "null"]}
SINCE = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
BOOL = {"type": "boolean"}
# Text is read trimmed (meetings.validation); required text needs something besides white space, as
# Python's str.strip() counts it. No text may hold NUL, which PostgreSQL cannot store.
_VISIBLE = "^[^\\x00]*[^\\s\\x00\\x1c-\\x1f\\x85][^\\x00]*$"
_NO_NUL = "^[^\\x00]*$"
_NOT_AT = "[^@\\s\\x00\\x1c-\\x1f\\x85]+"
EMAIL = {"type": "string", "maxLength": 254, "pattern": f"^{_NOT_AT}@{_NOT_AT}\\.{_NOT_AT}$"}
URL = {"type": ["string", "null"], "maxLength": 500, "pattern": "^(https?://[^\\s\\x00]+)?$"}


def text(max_length: int, required: bool = True) -> dict:
    if required:
        return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": _VISIBLE}
    return {"type": ["string", "null"], "maxLength": max_length, "pattern": _NO_NUL}


def number(minimum: int, maximum: int, nullable: bool = False) -> dict:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": minimum, "maximum": maximum}


# A date or date-time in the years the server reads (meetings.timeutil MIN_YEAR..MAX_YEAR).
YEARS_PATTERN = "^(19|20|21)[0-9]{2}-"


def ids() -> dict:
    return {"type": "array", "items": ID}


def partial(schema: dict) -> dict:
    """The same object for an edit, where every field may be left out."""
    return {key: value for key, value in schema.items() if key != "required"}


SEARCH = text(200, required=False) | {"type": "string"}
PAGING = [query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
          query("per_page", {"type": "integer", "minimum": 1, "maximum": 500}, "default 100")]
# Bodies the directory reads, with the limits of meetings.directory.services.
SCHEMAS_DIRECTORY = {
    "UserInput": {"type": "object", "required": ["email", "name"], "properties": {
        "email": EMAIL,
        "name": text(200), "title": text(200, required=False),
        "role": {"enum": ["admin", "secretary", "leader", "member"]}, "unit_id": OPT_ID,
        "rank": number(0, 10000), "active": BOOL,
        "password": {"type": "string", "minLength": 8, "maxLength": 200, "pattern": _NO_NUL}}},
    "UnitInput": {"type": "object", "required": ["name"], "properties": {
        "name": text(200), "short_name": text(50, required=False), "parent_id": OPT_ID}},
    "RoomInput": {"type": "object", "required": ["name"], "properties": {
        "name": text(200), "capacity": number(1, 100000, nullable=True), "location": text(200, required=False),
        "online_url": URL, "active": BOOL}},
}

register(
    {
        "/api/v1/openapi.json": {"get": op("This document", {"type": "object"}, errors=(), security=[])},
        "/api/v1/users/me": {"get": op("The caller", ref("User"))},
        "/api/v1/users": {
            "get": op("List active users", listing("users", "User"), params=[
                query("role", {"enum": ["admin", "secretary", "leader", "member"]}), query("q", SEARCH),
                query("unit_id", ID), query("all", SEARCH, "present: include deactivated users"), *PAGING],
                errors=("401", "422")),
            "post": op("Create a user (admin, secretary)", ref("User"), "201", ref("UserInput"),
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/users/{user_id}": {
            "parameters": [path_id("user_id")],
            "get": op("One user", ref("User"), errors=("401", "404")),
            "patch": op("Edit a user (admin, secretary)", ref("User"), body=partial(SCHEMAS_DIRECTORY["UserInput"]),
                        errors=("401", "403", "404", "415", "422")),
        },
        "/api/v1/units": {
            "get": op("The unit tree, in order with depth",
                      {"type": "object", "properties": {"units": {"type": "array", "items": ref("Unit")}}}),
            "post": op("Create a unit (admin, secretary)", ref("Unit"), "201", SCHEMAS_DIRECTORY["UnitInput"],
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/rooms": {
            "get": op("List active rooms", listing("rooms", "Room"), params=[query("q", SEARCH), *PAGING]),
            "post": op("Create a room (admin, secretary)", ref("Room"), "201", SCHEMAS_DIRECTORY["RoomInput"],
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/rooms/{room_id}": {
            "parameters": [path_id("room_id")],
            "patch": op("Edit a room (admin, secretary)", ref("Room"), body=partial(SCHEMAS_DIRECTORY["RoomInput"]),
                        errors=("401", "403", "404", "415", "422")),
        },
    },
    {
        "User": {"type": "object", "properties": {
            "id": _INT, "email": _STR, "name": _STR, "title": _OPT_STR,
            "role": {"enum": ["admin", "secretary", "leader", "member"]}, "unit": _OPT_STR, "unit_id": _OPT_INT,
            "rank": _INT, "active": {"type": "boolean"}}},
        "UserInput": SCHEMAS_DIRECTORY["UserInput"],
        "Unit": {"type": "object", "properties": {
            "id": _INT, "name": _STR, "short_name": _OPT_STR, "parent_id": _OPT_INT, "depth": _INT}},
        "Room": {"type": "object", "properties": {
            "id": _INT, "name": _STR, "capacity": _OPT_INT, "location": _OPT_STR, "online_url": _OPT_STR,
            "active": {"type": "boolean"}}},
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": _STR, "message": _STR,
                "fields": {"type": "object", "additionalProperties": _STR},
                # The request's id (X-Request-ID): the key to its line in the server's log.
                "request_id": _STR}}}},
    },
)

ERROR_DESCRIPTIONS = {"400": "The body is not a JSON object", "401": "No token, or an unknown or revoked one", "403": "Not allowed",
                      "404": "Not found, or not visible to the caller", "409": "Conflict or stale version",
                      "413": "Too large", "416": "A byte range outside the file", "415": "Not JSON, or not an accepted file type",
                      "422": "Invalid fields (listed in error.fields)",
                      "503": "Being made by another request: try again after Retry-After seconds"}


# A create answering 201 (or 202) links to the operations on what it made, for a stateful run (create -> read ->
# update) and for readers. These creates make something kept under another path, or (None) answer with
# the whole meeting rather than what they made.
CREATED_ELSEWHERE = {"/api/v1/meetings/{meeting_id}/documents": "/api/v1/documents/{document_id}",
                     "/api/v1/meetings/{meeting_id}/participants": None}
PARAM = re.compile(r"{(\w+)}")


def flask_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def operation_ids(url_map) -> dict[tuple[str, str], str]:
    """(path, method) -> the view function's name: unique, stable, and what a reader finds in the code."""
    ids = {}
    for rule in url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        name = rule.endpoint.rpartition(".")[2]
        for method in methods:
            ids[(flask_path(rule.rule), method.lower())] = name if len(methods) == 1 else f"{method.lower()}_{name}"
    return ids


def _errors_it_can_answer(path: str, method: str, operation: dict, parameters: list) -> set[str]:
    """The answers every operation of this shape gives, whatever its summary says: the server's rules in
    meetings/api (token check, JSON body, query check) and the URL map (ids that name nothing)."""
    codes = set()
    if operation.get("security") != []:
        codes.add("401")
    if PARAM.search(path):
        codes.add("404")
    if any(p.get("in") == "query" for p in parameters):
        codes.add("422")
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        codes |= {"400", "415", "422"}
    elif content:
        codes |= {"415", "422"}
    return codes


def _links(path: str, ids: dict) -> dict:
    items = (p for p in PATHS if p.startswith(path + "/{") and p.count("/") == path.count("/") + 1)
    target = CREATED_ELSEWHERE[path] if path in CREATED_ELSEWHERE else next(items, None)
    if not target or target not in PATHS:
        return {}
    new = PARAM.findall(target)[-1]
    links = {}
    for method in ("get", "patch", "put", "delete"):
        if method in PATHS[target] and (target, method) in ids:
            links[ids[(target, method)]] = {"operationId": ids[(target, method)], "parameters": {
                name: "$response.body#/id" if name == new else f"$request.path.{name}"
                for name in PARAM.findall(target)}}
    return links


def complete_paths(url_map) -> dict:
    """PATHS with operationIds, every error each operation can answer, and links from creates."""
    ids = operation_ids(url_map)
    paths = copy.deepcopy(PATHS)
    for path, operations in paths.items():
        shared = operations.get("parameters", [])
        for method, operation in operations.items():
            if method == "parameters":
                continue
            if (path, method) in ids:
                operation["operationId"] = ids[(path, method)]
            responses = operation["responses"]
            for code in sorted(_errors_it_can_answer(path, method, operation, shared + operation.get("parameters", []))):
                responses.setdefault(code, {"$ref": f"#/components/responses/E{code}"})
            created = responses.get("201") or responses.get("202")  # 202: made, checked in the background
            if method == "post" and created is not None:
                links = _links(path, ids)
                if links:
                    created["links"] = links
    return paths


def document(server: str, url_map) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "meetings API", "version": "1",
                 "description": "Leaders' work calendars and paperless meetings. Errors are always "
                                "{\"error\": {\"code\", \"message\"}}."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": complete_paths(url_map),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal API token from the profile page or "
                                                          "`flask users token EMAIL`."}},
            "schemas": SCHEMAS,
            "responses": {f"E{code}": {"description": text, **json_content(ref("Error"))}
                          for code, text in ERROR_DESCRIPTIONS.items()},
        },
    }
