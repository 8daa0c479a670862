"""The OpenAPI 3.1 description of /api/v1. A test fails when a route is missing here.

Features add their paths with `register(paths, schemas)` at import time, beside their routes.
"""
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
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def listing(key: str, item: str) -> dict:
    return {"type": "object", "properties": {key: {"type": "array", "items": ref(item)}, "page": {"type": "integer"},
                                              "per_page": {"type": "integer"}, "total": {"type": "integer"}}}


_STR = {"type": "string"}
_INT = {"type": "integer"}
_OPT_STR = {"type": ["string", "null"]}
_OPT_INT = {"type": ["integer", "null"]}
PAGING = [query("page", _INT), query("per_page", _INT, "1-500, default 100")]

register(
    {
        "/api/v1/openapi.json": {"get": op("This document", {"type": "object"}, errors=(), security=[])},
        "/api/v1/users/me": {"get": op("The caller", ref("User"))},
        "/api/v1/users": {
            "get": op("List active users", listing("users", "User"), params=[
                query("role", {"enum": ["admin", "secretary", "leader", "member"]}), query("q", _STR),
                query("unit_id", _INT), query("all", _STR, "include deactivated users"), *PAGING],
                errors=("401", "422")),
            "post": op("Create a user (admin, secretary)", ref("User"), "201", ref("UserInput"),
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/users/{user_id}": {
            "parameters": [path_id("user_id")],
            "get": op("One user", ref("User"), errors=("401", "404")),
            "patch": op("Edit a user (admin, secretary)", ref("User"), body=ref("UserInput"),
                        errors=("401", "403", "404", "415", "422")),
        },
        "/api/v1/units": {
            "get": op("The unit tree, in order with depth",
                      {"type": "object", "properties": {"units": {"type": "array", "items": ref("Unit")}}}),
            "post": op("Create a unit (admin, secretary)", ref("Unit"), "201", ref("Unit"),
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/rooms": {
            "get": op("List active rooms", listing("rooms", "Room"), params=[query("q", _STR), *PAGING]),
            "post": op("Create a room (admin, secretary)", ref("Room"), "201", ref("Room"),
                       errors=("401", "403", "415", "422")),
        },
        "/api/v1/rooms/{room_id}": {
            "parameters": [path_id("room_id")],
            "patch": op("Edit a room (admin, secretary)", ref("Room"), body=ref("Room"),
                        errors=("401", "403", "404", "415", "422")),
        },
    },
    {
        "User": {"type": "object", "properties": {
            "id": _INT, "email": _STR, "name": _STR, "title": _OPT_STR,
            "role": {"enum": ["admin", "secretary", "leader", "member"]}, "unit": _OPT_STR, "unit_id": _OPT_INT,
            "rank": _INT, "active": {"type": "boolean"}}},
        "UserInput": {"type": "object", "required": ["email", "name"], "properties": {
            "email": _STR, "name": _STR, "title": _OPT_STR, "role": _STR, "unit_id": _OPT_INT, "rank": _INT,
            "active": {"type": "boolean"}, "password": {"type": "string", "minLength": 8}}},
        "Unit": {"type": "object", "required": ["name"], "properties": {
            "id": _INT, "name": _STR, "short_name": _OPT_STR, "parent_id": _OPT_INT, "depth": _INT}},
        "Room": {"type": "object", "required": ["name"], "properties": {
            "id": _INT, "name": _STR, "capacity": _OPT_INT, "location": _OPT_STR, "online_url": _OPT_STR,
            "active": {"type": "boolean"}}},
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": _STR, "message": _STR,
                "fields": {"type": "object", "additionalProperties": _STR}}}}},
    },
)

ERROR_DESCRIPTIONS = {"401": "No token, or an unknown or revoked one", "403": "Not allowed",
                      "404": "Not found, or not visible to the caller", "409": "Conflict or stale version",
                      "413": "Too large", "415": "Not JSON, or not an accepted file type",
                      "422": "Invalid fields (listed in error.fields)"}


def document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "meetings API", "version": "1",
                 "description": "Leaders' work calendars and paperless meetings. Errors are always "
                                "{\"error\": {\"code\", \"message\"}}."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal API token from the profile page or "
                                                          "`flask users token EMAIL`."}},
            "schemas": SCHEMAS,
            "responses": {f"E{code}": {"description": text, **json_content(ref("Error"))}
                          for code, text in ERROR_DESCRIPTIONS.items()},
        },
    }
